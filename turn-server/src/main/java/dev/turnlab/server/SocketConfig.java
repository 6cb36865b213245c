package dev.turnlab.server;

/**
 * How a {@link TurnServer} uses threads and sockets: event loops, UDP sockets per listening address, and
 * the UDP listeners' kernel buffers. Validated when constructed.
 *
 * @param ioThreads the number of event loops (0: one per processor)
 * @param udpSockets UDP sockets per listening address, sharing its port with SO_REUSEPORT where epoll is
 *     available (0: one per event loop; NIO always uses one)
 * @param udpReceiveBuffer SO_RCVBUF of the UDP listening sockets in bytes (0: the kernel's default)
 * @param udpSendBuffer SO_SNDBUF of the UDP listening sockets in bytes (0: the kernel's default)
 */
public record SocketConfig(int ioThreads, int udpSockets, int udpReceiveBuffer, int udpSendBuffer) {

    /** The default SO_RCVBUF and SO_SNDBUF of the UDP listening sockets: 4 MiB. */
    public static final int DEFAULT_UDP_BUFFER = 4 << 20;

    /** The defaults: a thread and a UDP socket per processor, 4 MiB UDP buffers. */
    public static final SocketConfig DEFAULT = new SocketConfig(0, 0, DEFAULT_UDP_BUFFER, DEFAULT_UDP_BUFFER);

    /** Validates every component. */
    public SocketConfig {
        checkCount("ioThreads", ioThreads);
        checkCount("udpSockets", udpSockets);
        checkBuffer("udpReceiveBuffer", udpReceiveBuffer);
        checkBuffer("udpSendBuffer", udpSendBuffer);
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
