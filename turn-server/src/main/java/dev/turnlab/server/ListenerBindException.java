package dev.turnlab.server;

import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.handler.LogText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * Why {@link TurnServer#start()} failed: a listening socket (UDP, TCP, TLS or admin) that cannot be bound,
 * usually because another process holds the port. Its message is one line naming the listener, address
 * and port, such as {@code cannot bind udp 127.0.0.1:3478: Address already in use}.
 */
public final class ListenerBindException extends UncheckedIOException {

    private static final long serialVersionUID = 1L;

    private final String listener;
    private final InetSocketAddress address;

    private ListenerBindException(String listener, InetSocketAddress address, IOException cause) {
        super("cannot bind " + listener + " " + FiveTuple.format(address) + ": " + LogText.socketError(cause), cause);
        this.listener = listener;
        this.address = address;
    }

    /** The failure to bind the {@code listener} ("udp", "tcp", "tls", "admin") socket to {@code address}. */
    public static ListenerBindException of(String listener, InetSocketAddress address, Throwable cause) {
        IOException io = cause instanceof IOException e ? e : new IOException(cause);
        return new ListenerBindException(listener, address, io);
    }

    /** Which listener: "udp", "tcp", "tls" or "admin". */
    public String listener() {
        return listener;
    }

    /** The address and port that could not be bound. */
    public InetSocketAddress address() {
        return address;
    }
}
