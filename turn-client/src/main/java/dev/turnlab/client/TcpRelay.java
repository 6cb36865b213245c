package dev.turnlab.client;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.ConnectionId;
import dev.turnlab.codec.attribute.XorPeerAddress;
import dev.turnlab.codec.capture.PacketCapture;
import dev.turnlab.codec.netty.StunStreamEncoder;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of a TCP allocation (RFC 6062): Connect to a peer over the control connection, a data
 * connection per peer bound with ConnectionBind, and the ConnectionAttempt indications of peers that
 * connect to the relayed address. The data connections use the control connection's transport, server
 * and long-term credentials (its realm and nonce). Owned by the client's event loop: every method but
 * {@link #onAttempt} runs there.
 */
final class TcpRelay {

    private static final Logger logger = LoggerFactory.getLogger(TcpRelay.class);

    /**
     * What the TCP relay needs of the client's control connection, all called on the event loop.
     *
     * @param server the server the control connection goes to
     * @param request a request of a method, with the client's SOFTWARE
     * @param authenticated an authenticated request on the control connection
     * @param permit a CreatePermission for a peer's address, or null at once when it has a permission
     * @param allocated whether there is a TCP allocation
     */
    record Control(Supplier<InetSocketAddress> server, Function<Method, StunMessage.Builder> request,
            Function<Supplier<StunMessage.Builder>, CompletableFuture<Exchange>> authenticated,
            Function<InetAddress, CompletableFuture<TurnResult<List<InetAddress>>>> permit, BooleanSupplier allocated) {
    }

    /** How data connections are opened: the control connection's transport and its settings. */
    record Settings(EventLoop loop, Transport transport, SslContext ssl, Duration connectTimeout,
            Retransmission retransmission, PacketCapture capture) {
    }

    private final Settings settings;
    private final LongTermAuth auth;
    private final Control control;
    private final Set<DataConnection> open = new HashSet<>();
    private volatile Consumer<ConnectionAttempt> attempts;
    private boolean closed; // after closeAll, a binding that completes is closed at once

    TcpRelay(Settings settings, LongTermAuth auth, Control control, Consumer<ConnectionAttempt> attempts) {
        this.settings = settings;
        this.auth = auth;
        this.control = control;
        this.attempts = attempts;
    }

    /** Sets who decides on ConnectionAttempt indications; null ignores them. From any thread. */
    void onAttempt(Consumer<ConnectionAttempt> listener) {
        attempts = listener;
    }

    /** A ConnectionAttempt arrived on the control connection: the listener may accept it. */
    void attempted(ConnectionAttempt attempt) {
        Consumer<ConnectionAttempt> current = attempts;
        if (current == null) {
            logger.debug("ignored {}: no listener, the server will time it out", attempt);
            return;
        }
        try {
            current.accept(attempt);
        } catch (RuntimeException e) {
            logger.warn("connection attempt listener failed on {}", attempt, e);
        }
    }

    /**
     * RFC 6062 §4.3: a permission for the peer's address unless there is one, Connect, then a new data
     * connection bound to the CONNECTION-ID of the Connect success.
     */
    CompletableFuture<TurnResult<DataConnection>> connect(InetSocketAddress peer) {
        if (!control.allocated().getAsBoolean()) {
            return noAllocation("connect");
        }
        return control.permit().apply(peer.getAddress()).thenCompose(permitted -> {
            if (permitted != null && !permitted.isSuccess()) {
                return CompletableFuture.completedFuture(TurnResult.<DataConnection>refusedAs(permitted));
            }
            return control.authenticated().apply(() -> request(Method.CONNECT).add(new XorPeerAddress(peer)))
                    .thenCompose(ex -> {
                        if (TurnResult.isError(ex.response())) {
                            return CompletableFuture.completedFuture(TurnResult.refused(ex));
                        }
                        ConnectionId id = ex.response().get(ConnectionId.class);
                        if (id == null) {
                            return CompletableFuture.failedFuture(new NoAnswerException(NoAnswerException.Reason.NETWORK,
                                    "Connect success response without CONNECTION-ID: " + ex.response()));
                        }
                        return bind(id, peer);
                    });
        });
    }

    /** RFC 6062 §4.4: accepting a peer's connection is binding a new data connection to its id. */
    CompletableFuture<TurnResult<DataConnection>> accept(ConnectionAttempt attempt) {
        if (!control.allocated().getAsBoolean()) {
            return noAllocation("accept");
        }
        return bind(attempt.connectionId(), attempt.peer());
    }

    /**
     * A new connection to the server, same transport as the control connection, and on it ConnectionBind
     * with the id, signed with the control connection's credentials (RFC 6062 §4.3); any answer but
     * success closes it again.
     */
    private CompletableFuture<TurnResult<DataConnection>> bind(ConnectionId id, InetSocketAddress peer) {
        DataConnectionHandler handler = new DataConnectionHandler();
        return Connection.channel(settings.loop(), settings.transport(), control.server().get(),
                new Connection.Security(settings.ssl(), null),
                settings.connectTimeout(), settings.capture(),
                p -> p.addLast(new ConnectionBindDecoder(), new StunStreamEncoder(), handler))
                .thenCompose(channel -> auth.transact(() -> request(Method.CONNECTION_BIND).add(id),
                        (message, key) -> handler.transact(message, key, settings.retransmission()))
                        .whenComplete((ex, e) -> {
                            if (e != null || TurnResult.isError(ex.response())) {
                                handler.close();
                            }
                        })
                        .thenApply(ex -> {
                            if (TurnResult.isError(ex.response())) {
                                return TurnResult.<DataConnection>refused(ex);
                            }
                            if (closed) {
                                handler.close();
                                throw new CompletionException(new NoAnswerException(NoAnswerException.Reason.CLOSED,
                                        "client closed while the data connection was being bound"));
                            }
                            DataConnection connection = new DataConnection(id, peer, channel, handler);
                            open.add(connection);
                            handler.closure().whenComplete((c, e) -> open.remove(connection));
                            return TurnResult.success(connection, ex);
                        }));
    }

    private StunMessage.Builder request(Method method) {
        return control.request().apply(method);
    }

    private static CompletableFuture<TurnResult<DataConnection>> noAllocation(String use) {
        return CompletableFuture.failedFuture(new IllegalStateException(use + ": no TCP allocation"
                + " (expected: relayTransport(TCP) on the builder and a successful allocate() first)"));
    }

    /** Closes every data connection, and those still being bound when they are; completes when all have closed. */
    CompletableFuture<Void> closeAll() {
        closed = true;
        List<CompletableFuture<?>> closing = new ArrayList<>();
        for (DataConnection c : List.copyOf(open)) {
            closing.add(c.closeAsync());
        }
        return CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]));
    }
}
