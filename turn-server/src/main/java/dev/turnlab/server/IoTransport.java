package dev.turnlab.server;

import java.util.Locale;

/**
 * Which of Netty's I/O transports runs the server's sockets. {@link #AUTO} takes the cheapest per relayed
 * datagram that the platform offers: epoll, else io_uring, else NIO; the others insist on one, and a server
 * that cannot have it does not build.
 */
public enum IoTransport {
    /** Epoll where the native library loads, else io_uring where the kernel allows it, else NIO. */
    AUTO,
    /** Linux io_uring (5.14 or later): reads and writes submitted to a ring, completions reaped from another. */
    IO_URING,
    /** Linux epoll: {@code recvmmsg} batches and SO_REUSEPORT sharding of UDP listeners. */
    EPOLL,
    /** Java NIO, on any platform: one UDP socket per listening address. */
    NIO;

    /** The option's spelling of this value: {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}, case-insensitively. */
    public static IoTransport parse(String name) {
        for (IoTransport t : values()) {
            if (t.toString().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("ioTransport: " + name + " (expected: auto, io_uring, epoll or nio)");
    }
}
