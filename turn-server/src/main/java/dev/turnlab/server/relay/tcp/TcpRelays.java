package dev.turnlab.server.relay.tcp;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.ConnectionId;
import dev.turnlab.codec.attribute.XorPeerAddress;
import dev.turnlab.server.ServerCounters;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.allocation.Relay;
import dev.turnlab.server.relay.RelayEndpoints;
import io.netty.channel.ServerChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP relays of one server (RFC 6062): the allocations whose relayed transport addresses are listening
 * TCP sockets, their peer data connections, and the CONNECTION-IDs that wait for a ConnectionBind. The
 * state of an allocation is touched on its event loop only, like the allocation itself, so what happens on
 * a relay's sockets (which may run on another loop, see {@link TcpSockets}) is handed to that loop; the ids
 * waiting for a bind are shared, since a client data connection may run on any loop.
 */
public final class TcpRelays {

    /** RFC 6062 §5.2: connection establishment to a peer fails after this long ("at least 30 seconds"). */
    public static final int CONNECT_TIMEOUT_MILLIS = 30_000;

    static final Logger LOG = LoggerFactory.getLogger(TcpRelays.class);

    /** What a Connect request may do now (RFC 6062 §5.2). */
    public enum ConnectCheck {
        /** Connect. */
        ALLOWED,
        /** A connection to that peer is being made, waits for its bind, or is bound: 446. */
        ALREADY_EXISTS,
        /** The allocation holds as many peer connections as its peer quota allows: 508. */
        QUOTA_REACHED
    }

    /** What a ConnectionBind found (RFC 6062 §5.4). */
    public enum BindOutcome {
        /** The id names a peer data connection waiting for its bind, now claimed. */
        CLAIMED,
        /** No peer data connection waits under that id (never was, bound already, or closed): 400. */
        UNKNOWN,
        /** The connection belongs to an allocation of another user: 441, and it stays waiting. */
        WRONG_USER
    }

    /** The answer to a ConnectionBind: the outcome and, when claimed, the connection to splice. */
    public record Claim(BindOutcome outcome, PeerConnection connection) {
    }

    private final TcpSockets sockets;
    private final Clock clock;
    private final ServerCounters counters;
    private final RelayEndpoints endpoints;
    private final long bindTimeoutMillis;
    private final int peerQuota;
    private final PeerAcceptor acceptor = new PeerAcceptor(this);
    private final Map<Integer, PeerConnection> unbound = new ConcurrentHashMap<>();
    private final Map<Channel, TcpAllocation> byRelay = new ConcurrentHashMap<>();
    private final Map<Allocation, TcpAllocation> byAllocation = new ConcurrentHashMap<>();

    /**
     * TCP relays over {@code sockets}, counted in {@code counters}: a peer data connection not bound within
     * {@code bindTimeout} is closed (RFC 6062: 30 seconds), and an allocation holds at most {@code peerQuota}
     * peer data connections. Peers are reported to clients as {@code endpoints} maps them.
     */
    public TcpRelays(TcpSockets sockets, Clock clock, ServerCounters counters, RelayEndpoints endpoints,
            Duration bindTimeout, int peerQuota) {
        this.sockets = sockets;
        this.clock = clock;
        this.counters = counters;
        this.endpoints = endpoints;
        this.bindTimeoutMillis = bindTimeout.toMillis();
        this.peerQuota = peerQuota;
    }

    /** Binds a listening relayed transport address (RFC 6062 §5.1) on {@code loop}, the allocation's loop. */
    public ChannelFuture listen(EventLoop loop, InetSocketAddress address) {
        return sockets.listen(loop, address, acceptor);
    }

    /** Starts serving a new TCP allocation: its listeners accept peers from now on. On its event loop. */
    public void opened(Allocation allocation) {
        TcpAllocation state = new TcpAllocation(allocation);
        byAllocation.put(allocation, state);
        allocation.relays().forEach(r -> byRelay.put(r.channel(), state));
    }

    /**
     * Whether {@code allocation} relays over TCP: its relay socket is a listening one. Read from the allocation
     * itself, so that the Send indication path does no map look-up.
     */
    public boolean serves(Allocation allocation) {
        return allocation.relays().get(0).channel() instanceof ServerChannel;
    }

    /** Closes every peer data connection (and with them the client data connections) of a deleted allocation. */
    public void deleted(Allocation allocation) {
        TcpAllocation state = byAllocation.remove(allocation);
        if (state == null) {
            return;
        }
        allocation.relays().forEach(r -> byRelay.remove(r.channel()));
        for (PeerConnection c : state.close()) {
            unbound.remove(c.id(), c);
            c.close();
        }
    }

    /** Whether {@code allocation} may connect to {@code peer} now. On its event loop. */
    public ConnectCheck check(Allocation allocation, InetSocketAddress peer) {
        TcpAllocation state = byAllocation.get(allocation);
        if (state.has(peer)) {
            return ConnectCheck.ALREADY_EXISTS;
        }
        return state.size() >= peerQuota ? ConnectCheck.QUOTA_REACHED : ConnectCheck.ALLOWED;
    }

    /**
     * Connects {@code allocation}'s relay to {@code peer} (RFC 6062 §5.2), after {@link #check}: from the
     * relayed transport address, which the relay's listening socket holds. {@code connected} gets the new
     * CONNECTION-ID, or {@code failed} runs (447); either on the allocation's event loop.
     */
    public void connect(Allocation allocation, InetSocketAddress peer, IntConsumer connected, Runnable failed) {
        TcpAllocation state = byAllocation.get(allocation);
        Relay relay = allocation.relayFor(peer.getAddress());
        PeerConnection connection = new PeerConnection(this, state, peer);
        state.add(connection);
        InetSocketAddress local = (InetSocketAddress) relay.channel().localAddress();
        EventLoop loop = allocation.client().eventLoop();
        sockets.connect(loop, local, peer, new PeerHandler(connection, counters), CONNECT_TIMEOUT_MILLIS)
                .addListener(f -> onLoop(loop, () -> {
                    Channel channel = ((ChannelFuture) f).channel();
                    if (!f.isSuccess()) {
                        state.remove(connection);
                        counters.tcpConnectFailed();
                        LOG.debug("Connect from {} to {} for {} failed: {}", FiveTuple.format(local),
                                FiveTuple.format(peer), allocation.username(), f.cause().toString());
                        failed.run();
                        return;
                    }
                    if (state.isClosed()) {
                        channel.close();
                        failed.run();
                        return;
                    }
                    connected.accept(established(connection, channel));
                }));
    }

    /**
     * A peer connected to a relay's listening socket (RFC 6062 §5.3): kept, with a ConnectionAttempt
     * indication to the client, if the allocation has a permission for the peer's IP address and room
     * under its peer quota; otherwise closed at once. On any event loop.
     */
    void accepted(Channel channel) {
        TcpAllocation state = byRelay.get(channel.parent());
        if (state == null) {
            refuse(channel, "no allocation");
            return;
        }
        EventLoop loop = state.allocation().client().eventLoop();
        onLoop(loop, () -> accepted(channel, state));
    }

    private void accepted(Channel channel, TcpAllocation state) {
        InetSocketAddress peer = (InetSocketAddress) channel.remoteAddress();
        String refusal = state.isClosed() ? "no allocation"
                : !state.allocation().hasPermission(peer.getAddress(), clock.millis()) ? "no permission"
                : state.size() >= peerQuota || state.has(peer) ? "peer quota reached" : null;
        if (refusal != null) {
            refuse(channel, refusal);
            return;
        }
        PeerConnection connection = new PeerConnection(this, state, peer);
        state.add(connection);
        channel.pipeline().replace(acceptor, "tcp-peer", new PeerHandler(connection, counters));
        int id = established(connection, channel);
        StunMessage attempt = StunMessage.indication(Method.CONNECTION_ATTEMPT)
                .add(new XorPeerAddress(endpoints.outward(peer)), new ConnectionId(id)).build();
        state.allocation().client().write(StunMessageCodec.encode(attempt, state.allocation().client().alloc()));
    }

    private void refuse(Channel channel, String why) {
        counters.tcpPeerRefused();
        LOG.debug("refused a TCP connection from {} to {}: {}", FiveTuple.format((InetSocketAddress) channel.remoteAddress()),
                FiveTuple.format((InetSocketAddress) channel.localAddress()), why);
        channel.close();
    }

    /** Gives an established peer data connection its CONNECTION-ID and starts its bind timer; returns the id. */
    private int established(PeerConnection connection, Channel channel) {
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt();
        } while (id == 0 || unbound.putIfAbsent(id, connection) != null);
        counters.tcpConnectionOpened();
        connection.established(channel, id, bindTimeoutMillis);
        return id;
    }

    /**
     * Claims the peer data connection {@code id} for a ConnectionBind of {@code username} (RFC 6062 §5.4):
     * once claimed no other bind and no timer can have it. On any event loop.
     */
    public Claim claim(int id, String username) {
        PeerConnection connection = unbound.get(id);
        if (connection == null) {
            counters.tcpUnknownBind();
            return new Claim(BindOutcome.UNKNOWN, null);
        }
        if (!connection.username().equals(username)) {
            counters.tcpUnknownBind();
            return new Claim(BindOutcome.WRONG_USER, null);
        }
        if (!unbound.remove(id, connection)) {
            counters.tcpUnknownBind();
            return new Claim(BindOutcome.UNKNOWN, null);
        }
        return new Claim(BindOutcome.CLAIMED, connection);
    }

    /** The bind timer of {@code connection} ran out: closed unless a bind claimed it first. */
    void bindTimedOut(PeerConnection connection) {
        if (unbound.remove(connection.id(), connection)) {
            counters.tcpBindTimedOut();
            LOG.debug("closing the TCP connection with {} (id {}): no ConnectionBind in {} ms",
                    FiveTuple.format(connection.peer()), Integer.toUnsignedString(connection.id()), bindTimeoutMillis);
            connection.close();
        }
    }

    /** A peer data connection closed: it leaves the ids waiting for a bind. On the allocation's event loop. */
    void closed(PeerConnection connection) {
        if (connection.id() != 0) { // 0: closed before it was established
            unbound.remove(connection.id(), connection);
            counters.tcpConnectionClosed();
        }
    }

    /** Runs {@code task} on an allocation's {@code loop}; a loop already shut down (the server closing) skips it. */
    static void onLoop(EventLoop loop, Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("event loop shut down: a TCP relay update is skipped");
        }
    }

    /** The server's counters. */
    ServerCounters counters() {
        return counters;
    }
}
