package dev.turnlab.server;

import java.util.Objects;

/**
 * How a {@link TurnServer} uses threads and sockets: event loops, UDP sockets per listening address, the
 * UDP listeners' kernel buffers and the I/O transport. Validated when constructed.
 *
 * @param ioThreads the number of event loops (0: one per processor)
 * @param udpSockets UDP sockets per listening address, sharing its port with SO_REUSEPORT where io_uring or
 *     epoll is in use (0: one per event loop; NIO always uses one)
 * @param udpReceiveBuffer SO_RCVBUF of the UDP listening sockets in bytes (0: the kernel's default)
 * @param udpSendBuffer SO_SNDBUF of the UDP listening sockets in bytes (0: the kernel's default)
 * @param ioTransport Netty's transport for every socket but TCP relays' ({@link IoTransport#AUTO}: epoll,
 *     else io_uring, else NIO)
 */
public record SocketConfig(int ioThreads, int udpSockets, int udpReceiveBuffer, int udpSendBuffer,
        IoTransport ioTransport) {

    /** The default SO_RCVBUF and SO_SNDBUF of the UDP listening sockets: 4 MiB. */
    public static final int DEFAULT_UDP_BUFFER = 4 << 20;

    /** The defaults: a thread and a UDP socket per processor, 4 MiB UDP buffers, {@link IoTransport#AUTO}. */
    public static final SocketConfig DEFAULT = new SocketConfig(0, 0, DEFAULT_UDP_BUFFER, DEFAULT_UDP_BUFFER);

    /** Validates every component. */
    public SocketConfig {
        Objects.requireNonNull(ioTransport, "ioTransport");
        checkCount("ioThreads", ioThreads);
        checkCount("udpSockets", udpSockets);
        checkBuffer("udpReceiveBuffer", udpReceiveBuffer);
        checkBuffer("udpSendBuffer", udpSendBuffer);
    }

    /** {@link IoTransport#AUTO}, with the other settings given. */
    public SocketConfig(int ioThreads, int udpSockets, int udpReceiveBuffer, int udpSendBuffer) {
        this(ioThreads, udpSockets, udpReceiveBuffer, udpSendBuffer, IoTransport.AUTO);
    }

    SocketConfig withIoThreads(int threads) {
        return new SocketConfig(threads, udpSockets, udpReceiveBuffer, udpSendBuffer, ioTransport);
    }

    SocketConfig withUdpSockets(int sockets) {
        return new SocketConfig(ioThreads, sockets, udpReceiveBuffer, udpSendBuffer, ioTransport);
    }

    SocketConfig withUdpReceiveBuffer(int bytes) {
        return new SocketConfig(ioThreads, udpSockets, bytes, udpSendBuffer, ioTransport);
    }

    SocketConfig withUdpSendBuffer(int bytes) {
        return new SocketConfig(ioThreads, udpSockets, udpReceiveBuffer, bytes, ioTransport);
    }

    SocketConfig withIoTransport(IoTransport transport) {
        return new SocketConfig(ioThreads, udpSockets, udpReceiveBuffer, udpSendBuffer, transport);
    }

    /** One event loop per processor unless configured: more threads than cores only add context switches. */
    int eventLoops() {
        return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    }

    static int checkCount(String what, int count) {
        if (count < 0) {
            throw new IllegalArgumentException(what + ": " + count + " (expected: >= 0)");
        }
        return count;
    }

    static int checkBuffer(String what, int bytes) {
        if (bytes < 0 || bytes > 1 << 30) {
            throw new IllegalArgumentException(what + ": " + bytes + " (expected: 0-1073741824 bytes, 0 for the kernel's default)");
        }
        return bytes;
    }
}
