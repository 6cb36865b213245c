package dev.turnlab.client;

import dev.turnlab.codec.ChannelData;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.AddressFamily;
import dev.turnlab.codec.attribute.AlternateServer;
import dev.turnlab.codec.attribute.ChannelNumber;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Lifetime;
import dev.turnlab.codec.attribute.RequestedAddressFamily;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.XorPeerAddress;
import dev.turnlab.codec.attribute.XorRelayedAddress;
import dev.turnlab.codec.capture.PacketCapture;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import dev.turnlab.codec.dtls.DtlsEngines;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An asynchronous TURN client (RFC 8656) for one server over UDP, TCP or TLS: Binding, Allocate with
 * long-term credentials, Refresh, CreatePermission, ChannelBind, and data to and from peers by Send
 * indications or ChannelData; over TCP or TLS, TCP relays too (RFC 6062: {@link #connect}, {@link #accept}).
 *
 * <p>Every request returns a future of a {@link TurnResult}: the value on success, the ERROR-CODE when
 * the server refused. A request that gets no answer fails the future with a {@link NoAnswerException}
 * that says why (timeout, port closed, TLS). The client answers the 401 challenge itself, answers up to
 * three 438 Stale Nonce with the new nonce, follows one 300 Try Alternate to the ALTERNATE-SERVER, and
 * refreshes the allocation, its permissions and channel bindings before they expire. {@link #close()}
 * releases the allocation (a Refresh with LIFETIME 0) and closes the connection.
 *
 * <p>The client connects on its first request. All its state (the connection, the credentials learnt
 * from challenges, the allocation with its permissions, channel bindings and refresh timers) is owned
 * by one event loop; the methods may be called from any thread, futures complete on that loop, and
 * {@link #allocation()} hands out an immutable snapshot.
 */
public final class TurnClient implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(TurnClient.class);

    private final Transport transport;
    private final Retransmission retransmission;
    private final SslContext ssl; // TLS: the one configured, or the JDK default
    private final DtlsEngines dtls; // DTLS: the ones configured, or the JDK default
    private final Duration connectTimeout;
    private final Duration requestedLifetime;
    private final AddressFamily requestedFamily; // null: none sent, the server's default (IPv4)
    private final RelayTransport relayTransport;
    private final String software;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final EventLoop loop;
    private final LongTermAuth auth;
    private final PacketCapture capture;

    // Written on the event loop only; volatile where the accessors read them from other threads.
    private volatile InetSocketAddress server;
    private CompletableFuture<Connection> connection;
    private final AllocationState state;
    private final PeerData peerData;
    private final TcpRelay tcp;
    private boolean closed;

    TurnClient(TurnClientBuilder b) {
        this.transport = b.transport;
        this.retransmission = b.retransmission != null ? b.retransmission : Retransmission.defaultFor(b.transport);
        this.ssl = b.sslContextFor(transport);
        this.dtls = b.dtlsEnginesFor(transport);
        this.connectTimeout = b.connectTimeout != null ? b.connectTimeout : retransmission.timeout();
        this.requestedLifetime = b.lifetime;
        this.requestedFamily = b.addressFamily;
        this.software = b.software;
        this.ownsGroup = b.group == null;
        this.group = ownsGroup ? new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()) : b.group;
        this.loop = group.next();
        this.auth = new LongTermAuth(b.username, b.password);
        this.server = b.server;
        this.capture = b.capture;
        this.state = new AllocationState(loop, new Renewals(this));
        this.relayTransport = b.relayTransport;
        this.tcp = new TcpRelay(new TcpRelay.Settings(loop, transport, ssl, connectTimeout, retransmission, capture),
                auth, new TcpRelay.Control(() -> server, this::request, this::authenticated, this::permit,
                        () -> relayTransport == RelayTransport.TCP && state.allocation() != null), b.attemptListener);
        this.peerData = new PeerData(state, b.dataListener, tcp::attempted);
    }

    /** A builder; {@link Builder#server} is required. */
    public static Builder builder() {
        return new TurnClientBuilder();
    }

    /** The server requests go to: the configured one, or the ALTERNATE-SERVER a 300 named. */
    public InetSocketAddress server() {
        return server;
    }

    /** The transport to the server. */
    public Transport transport() {
        return transport;
    }

    /** The relay Allocate asks for: UDP unless {@link Builder#relayTransport} said TCP. */
    public RelayTransport relayTransport() {
        return relayTransport;
    }

    /** The realm of the server's last challenge, if one came. */
    public Optional<String> realm() {
        return Optional.ofNullable(auth.realm());
    }

    /** The current allocation, if Allocate succeeded and it has not been released. */
    public Optional<Allocation> allocation() {
        return Optional.ofNullable(state.allocation());
    }

    /** The client's local address towards the server, once connected. */
    public CompletableFuture<InetSocketAddress> localAddress() {
        return onLoop(() -> connection().thenApply(c -> (InetSocketAddress) c.channel.localAddress()));
    }

    /** Sets who receives data from peers (Data indications and ChannelData); called on the event loop. */
    public void onData(BiConsumer<InetSocketAddress, byte[]> listener) {
        peerData.listener(listener);
    }

    /** A Binding request (RFC 8489 §3): the server-reflexive address, and the round trip of the answer. */
    public CompletableFuture<TurnResult<InetSocketAddress>> binding() {
        return onLoop(() -> exchange(request(Method.BINDING).fingerprint().build(), null).thenApply(ex -> {
            if (TurnResult.isError(ex.response())) {
                return TurnResult.refused(ex);
            }
            return TurnResult.success(Allocation.mappedAddress(ex.response()), ex);
        }));
    }

    /**
     * An Allocate request (RFC 8656 §7) for a relay of the {@link Builder#relayTransport} (UDP by default)
     * and of the family asked for with {@link Builder#requestedAddressFamily} (IPv4 by default), answering
     * the 401 challenge with the credentials; on success the allocation is refreshed automatically until
     * released or closed. A server without TCP relays answers 442 Unsupported Transport Protocol.
     */
    public CompletableFuture<TurnResult<Allocation>> allocate() {
        return onLoop(() -> allocate(1));
    }

    private CompletableFuture<TurnResult<Allocation>> allocate(int redirectsLeft) {
        return authenticated(() -> {
            StunMessage.Builder b = request(Method.ALLOCATE).add(relayTransport.attribute());
            if (requestedLifetime != null) {
                b.add(Lifetime.ofSeconds(requestedLifetime.toSeconds()));
            }
            if (requestedFamily != null) {
                b.add(new RequestedAddressFamily(requestedFamily));
            }
            return b;
        }).thenCompose(ex -> {
            StunMessage response = ex.response();
            ErrorCode error = response.get(ErrorCode.class);
            AlternateServer alternate = response.get(AlternateServer.class);
            if (error != null && error.code() == 300 && alternate != null && redirectsLeft > 0) {
                // RFC 8489 §10: the same request, to the other server, as a new transaction.
                logger.debug("{} redirects to {}", server, alternate.address());
                moveTo(alternate.address());
                return allocate(redirectsLeft - 1);
            }
            if (TurnResult.isError(response)) {
                return CompletableFuture.completedFuture(TurnResult.refused(ex));
            }
            XorRelayedAddress relayed = response.get(XorRelayedAddress.class);
            Lifetime lifetime = response.get(Lifetime.class);
            if (relayed == null || lifetime == null) {
                return CompletableFuture.failedFuture(new NoAnswerException(NoAnswerException.Reason.NETWORK,
                        "Allocate success response without XOR-RELAYED-ADDRESS or LIFETIME: " + response));
            }
            InetSocketAddress mapped = Allocation.mappedAddress(response);
            Allocation allocation = new Allocation(relayed.address(), mapped, lifetime.duration());
            state.allocated(allocation);
            return CompletableFuture.completedFuture(TurnResult.success(allocation, ex));
        });
    }

    /**
     * A Refresh request (RFC 8656 §8) asking for {@code lifetime}; {@link Duration#ZERO} releases the
     * allocation. The value is the lifetime the server granted.
     */
    public CompletableFuture<TurnResult<Duration>> refresh(Duration lifetime) {
        Objects.requireNonNull(lifetime, "lifetime");
        return onLoop(() -> refreshOnLoop(lifetime, retransmission));
    }

    private CompletableFuture<TurnResult<Duration>> refreshOnLoop(Duration lifetime, Retransmission schedule) {
        return authenticated(() -> request(Method.REFRESH).add(Lifetime.ofSeconds(lifetime.toSeconds())), schedule)
                .thenApply(ex -> {
                    if (TurnResult.isError(ex.response())) {
                        return TurnResult.refused(ex);
                    }
                    Duration granted = ex.response().attribute(Lifetime.class).map(Lifetime::duration).orElse(lifetime);
                    state.refreshed(granted);
                    return TurnResult.success(granted, ex);
                });
    }

    /**
     * A CreatePermission request (RFC 8656 §9) for the given peer addresses (ports do not matter);
     * refreshed automatically every four minutes while the allocation lives.
     */
    public CompletableFuture<TurnResult<List<InetAddress>>> createPermission(InetAddress... peers) {
        if (peers.length == 0) {
            throw new IllegalArgumentException("peers: none (expected: at least one address)");
        }
        List<InetAddress> addresses = List.copyOf(new LinkedHashSet<>(List.of(peers)));
        return onLoop(() -> authenticated(() -> {
            StunMessage.Builder b = request(Method.CREATE_PERMISSION);
            addresses.forEach(a -> b.add(new XorPeerAddress(new InetSocketAddress(a, 0))));
            return b;
        }).thenApply(ex -> {
            if (TurnResult.isError(ex.response())) {
                return TurnResult.refused(ex);
            }
            state.permitted(addresses);
            return TurnResult.success(addresses, ex);
        }));
    }

    /**
     * A ChannelBind request (RFC 8656 §11) binding a free channel number to {@code peer}, or re-binding
     * the one it has; afterwards {@link #send} uses ChannelData to that peer. The value is the number.
     */
    public CompletableFuture<TurnResult<Integer>> channelBind(InetSocketAddress peer) {
        Objects.requireNonNull(peer, "peer");
        return onLoop(() -> {
            OptionalInt free = state.numberToBind(peer);
            if (free.isEmpty()) {
                return CompletableFuture.failedFuture(new IllegalStateException("every channel number is bound"));
            }
            int number = free.getAsInt();
            return authenticated(() -> request(Method.CHANNEL_BIND).add(new ChannelNumber(number), new XorPeerAddress(peer)))
                    .thenApply(ex -> {
                        if (TurnResult.isError(ex.response())) {
                            return TurnResult.refused(ex);
                        }
                        if (!state.bound(number, peer)) {
                            logger.debug("channel {} to {} crossed another binding; the earlier one is kept", number, peer);
                        }
                        return TurnResult.success(number, ex);
                    });
        });
    }

    /**
     * Sends {@code data} to {@code peer} through the relay: as ChannelData when a channel is bound to
     * the peer (RFC 8656 §12.5), as a Send indication otherwise (RFC 8656 §11.3). The future completes
     * when the bytes are written; TURN gives no delivery receipt.
     */
    public CompletableFuture<Void> send(InetSocketAddress peer, byte[] data) {
        Objects.requireNonNull(peer, "peer");
        byte[] copy = data.clone();
        return onLoop(() -> connection().thenCompose(c -> {
            OptionalInt channel = state.channel(peer);
            Object message = channel.isPresent()
                    ? new ChannelData(channel.getAsInt(), Unpooled.wrappedBuffer(copy))
                    : StunMessage.indication(Method.SEND).add(new XorPeerAddress(peer), new Data(copy)).build();
            CompletableFuture<Void> written = new CompletableFuture<>();
            c.transactions.send(message).addListener(f -> {
                if (f.isSuccess()) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(TransactionHandler.failure(f.cause()));
                }
            });
            return written;
        }));
    }

    /**
     * Connects the TCP allocation to {@code peer} (RFC 6062 §4.3): CreatePermission unless it has one,
     * Connect, then a new connection to the server bound to the peer's by ConnectionBind: the value. A
     * refusal is the refused request's (447: the relay could not reach the peer over TCP; 446: connected
     * already). Fails with {@link IllegalStateException} without a TCP allocation.
     */
    public CompletableFuture<TurnResult<DataConnection>> connect(InetSocketAddress peer) {
        Objects.requireNonNull(peer, "peer");
        return onLoop(() -> tcp.connect(peer));
    }

    /**
     * Accepts a peer's connection to the TCP relayed address (RFC 6062 §4.4): a new connection to the
     * server bound to it with ConnectionBind. Within 30 s of the attempt, or the server has closed it.
     */
    public CompletableFuture<TurnResult<DataConnection>> accept(ConnectionAttempt attempt) {
        return onLoop(() -> tcp.accept(Objects.requireNonNull(attempt, "attempt")));
    }

    /** Sets who decides on peers' connection attempts (call {@link #accept}); null ignores them. */
    public void onConnectionAttempt(Consumer<ConnectionAttempt> listener) {
        tcp.onAttempt(listener);
    }

    /**
     * Releases the allocation if there is one (Refresh with LIFETIME 0, waiting at most a few seconds)
     * and closes the connection; a client that owns its event loop shuts it down.
     */
    @Override
    public void close() {
        closeAsync().join();
    }

    /** {@link #close()}, without blocking. */
    public CompletableFuture<Void> closeAsync() {
        CompletableFuture<Void> done = onLoop(() -> {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<?> release = tcp.closeAll().thenCompose(dataClosed -> state.allocation() == null
                    ? CompletableFuture.completedFuture(null)
                    : refreshOnLoop(Duration.ZERO, retransmission.within(Duration.ofSeconds(3)))
                            .handle((r, e) -> null));
            return release.thenCompose(ignored -> {
                closed = true;
                state.released();
                CompletableFuture<Connection> c = connection;
                connection = null;
                return Connection.closeWhenOpen(c);
            });
        });
        if (!ownsGroup) {
            return done;
        }
        return done.handle((r, e) -> null).thenCompose(ignored -> {
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).addListener(f -> stopped.complete(null));
            return stopped;
        });
    }

    // ---- internals, all on the event loop ----

    private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> action) {
        return ClientTransactions.onExecutor(loop, "client closed", action);
    }

    /** CreatePermission for {@code peer} unless it has a permission (then null). */
    private CompletableFuture<TurnResult<List<InetAddress>>> permit(InetAddress peer) {
        return state.permissions().contains(peer) ? CompletableFuture.completedFuture(null) : createPermission(peer);
    }

    private CompletableFuture<Connection> connection() {
        if (closed) {
            return CompletableFuture.failedFuture(new NoAnswerException(NoAnswerException.Reason.CLOSED, "client closed"));
        }
        if (connection == null || connection.isCompletedExceptionally()) {
            connection = Connection.open(loop, transport, server, new Connection.Security(ssl, dtls), connectTimeout,
                    peerData, capture);
        }
        return connection;
    }

    private void moveTo(InetSocketAddress alternate) {
        Connection.closeWhenOpen(connection);
        connection = null;
        server = alternate;
        auth.reset();
    }

    private CompletableFuture<Exchange> exchange(StunMessage request, byte[] key) {
        return exchange(request, key, retransmission);
    }

    private CompletableFuture<Exchange> exchange(StunMessage request, byte[] key, Retransmission schedule) {
        return connection().thenCompose(c -> {
            CompletableFuture<Exchange> result = new CompletableFuture<>();
            c.transactions.transact(request, key, schedule, result);
            return result;
        });
    }

    private CompletableFuture<Exchange> authenticated(Supplier<StunMessage.Builder> request) {
        return authenticated(request, retransmission);
    }

    private CompletableFuture<Exchange> authenticated(Supplier<StunMessage.Builder> request, Retransmission schedule) {
        return auth.transact(request, (message, key) -> exchange(message, key, schedule));
    }

    private StunMessage.Builder request(Method method) {
        StunMessage.Builder b = StunMessage.request(method);
        if (software != null) {
            b.add(new Software(software));
        }
        return b;
    }

    /** Refreshes the allocation with the client's retransmissions, for {@link Renewals}. */
    CompletableFuture<TurnResult<Duration>> refreshAllocation(Duration lifetime) {
        return refreshOnLoop(lifetime, retransmission);
    }

    /**
     * Configures a {@link TurnClient}: the server is required, everything else has a default. Not
     * thread-safe; {@link #build()} may be called more than once.
     */
    public interface Builder {
        /** The server's address (required). */
        Builder server(InetSocketAddress address);

        /** The server's host name or address and port; the name is resolved now. */
        Builder server(String host, int port);

        /** The transport to the server: UDP (default), TCP, TLS or DTLS. */
        Builder transport(Transport transport);

        /** The long-term credentials (RFC 8489 §9.2) for Allocate and the requests that follow it. */
        Builder credentials(String username, String password);

        /** When requests are sent and given up; {@link Retransmission#defaultFor} the transport otherwise. */
        Builder retransmission(Retransmission retransmission);

        /**
         * How long a TCP or TLS connection, or a DTLS handshake, may take; the retransmission timeout otherwise.
         */
        Builder connectTimeout(Duration timeout);

        /** The TLS client context; the JDK's trusted certificates and host name verification otherwise. */
        Builder sslContext(SslContext ssl);

        /**
         * The DTLS client engines (trust and server name check, see {@link DtlsEngines#client}); the JDK's trusted
         * certificates and host name verification otherwise. For a lab's self-signed server, as with TLS:
         * {@code DtlsEngines.client(DtlsEngines.clientContext(InsecureTrustManagerFactory.INSTANCE), null)}.
         */
        Builder dtlsEngines(DtlsEngines engines);

        /** The LIFETIME to ask for in Allocate (RFC 8656 §7.1); the server's default otherwise. */
        Builder lifetime(Duration lifetime);

        /**
         * The family of the relayed address to ask for in Allocate, as REQUESTED-ADDRESS-FAMILY (RFC 8656
         * §7.1, §18.6); without it none is sent and the server allocates IPv4. A server without a relay of
         * the family answers 440 Address Family not Supported. The family need not be the server's.
         */
        Builder requestedAddressFamily(AddressFamily family);

        /**
         * The relay to ask for in Allocate: {@link RelayTransport#UDP} (default) or {@link RelayTransport#TCP}
         * (RFC 6062), which needs the TCP or TLS transport to the server: {@link #build()} refuses it over UDP.
         */
        Builder relayTransport(RelayTransport relay);

        /** Decides on peers' connection attempts to a TCP relay; also settable with {@link TurnClient#onConnectionAttempt}. */
        Builder onConnectionAttempt(Consumer<ConnectionAttempt> listener);

        /** The SOFTWARE attribute of requests, or {@code null} for none. */
        Builder software(String software);

        /** An event loop group to run on, which the client will not shut down; a one-thread NIO group otherwise. */
        Builder eventLoopGroup(EventLoopGroup group);

        /** Receives data from peers; also settable later with {@link TurnClient#onData}. */
        Builder onData(BiConsumer<InetSocketAddress, byte[]> listener);

        /**
         * Records what the client sends to and receives from the server in {@code capture} (TLS as its
         * plaintext); the caller closes the capture, which may serve several clients.
         */
        Builder capture(PacketCapture capture);

        /** The client, not yet connected; it connects on its first request. */
        TurnClient build();
    }
}
