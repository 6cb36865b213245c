package dev.turnlab.client;

import dev.turnlab.codec.attribute.ConnectionId;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * A client data connection of a TCP allocation (RFC 6062 §2, §4.3): a TCP (or TLS) connection of its own
 * to the server, bound with ConnectionBind to the TCP connection between the relay and one peer, and
 * from then on a plain byte stream both ways. {@link TurnClient#connect} makes one to a peer,
 * {@link TurnClient#accept} one from a peer; closing the client closes them all.
 *
 * <p>TCP keeps no message boundaries: the bytes arrive in chunks of any size. They go to the
 * {@link #onData} listener on the client's event loop; those that arrive before a listener is set are
 * kept for it, and reading pauses meanwhile. {@link #closure()} says how the connection ended: the
 * server closes it when the peer closes its side (RFC 6062 §5.5).
 */
public final class DataConnection implements AutoCloseable {

    /** How a data connection ended. */
    public enum Closure {
        /** Closed here, by {@link #close()} or by closing the client. */
        LOCAL,
        /** Closed by the server, as it does when the peer closed its TCP connection to the relay. */
        REMOTE,
        /** Reset, or ended by an I/O or protocol error: the peer's connection to the relay failed or was reset. */
        RESET
    }

    private final ConnectionId connectionId;
    private final InetSocketAddress peer;
    private final Channel channel;
    private final DataConnectionHandler handler;

    DataConnection(ConnectionId connectionId, InetSocketAddress peer, Channel channel, DataConnectionHandler handler) {
        this.connectionId = Objects.requireNonNull(connectionId, "connectionId");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.channel = channel;
        this.handler = handler;
    }

    /** The CONNECTION-ID the server gave the peer's connection (RFC 6062 §6.2.1). */
    public ConnectionId connectionId() {
        return connectionId;
    }

    /** The peer at the other end of the relay. */
    public InetSocketAddress peer() {
        return peer;
    }

    /** This end of the connection to the server. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Whether the connection is still open. */
    public boolean isOpen() {
        return channel.isActive();
    }

    /**
     * Sends {@code data} to the peer; the future completes when the bytes are written to the server's
     * connection, and fails if the connection is closed.
     */
    public CompletableFuture<Void> send(byte[] data) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        channel.writeAndFlush(Unpooled.wrappedBuffer(data.clone())).addListener(f -> {
            if (f.isSuccess()) {
                written.complete(null);
            } else {
                written.completeExceptionally(TransactionHandler.failure(f.cause()));
            }
        });
        return written;
    }

    /**
     * Sets who receives the peer's bytes, on the client's event loop, starting with those kept until now;
     * {@code null} pauses reading.
     */
    public void onData(Consumer<byte[]> listener) {
        try {
            channel.eventLoop().execute(() -> handler.listener(listener));
        } catch (RejectedExecutionException clientClosed) {
            // the connection closed with the client's event loop: nothing more will arrive
        }
    }

    /** Completes with how the connection ended, once it has. */
    public CompletableFuture<Closure> closure() {
        return handler.closure().thenApply(c -> c);
    }

    /** Closes the connection, which makes the server close the peer's (RFC 6062 §5.5), and waits for it. */
    @Override
    public void close() {
        closeAsync().join();
    }

    /** {@link #close()}, without blocking; completes with how the connection ended. */
    public CompletableFuture<Closure> closeAsync() {
        return ClientTransactions.onExecutor(channel.eventLoop(), "client closed", handler::close)
                .exceptionally(e -> Closure.LOCAL);
    }

    @Override
    public String toString() {
        return "DataConnection[" + Integer.toUnsignedString(connectionId.id()) + " to " + peer + "]";
    }
}
