package dev.turnlab.server.relay.tcp;

import dev.turnlab.server.allocation.Allocation;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One peer data connection of a TCP allocation (RFC 6062 §2): a TCP connection between the relayed transport
 * address and a peer, identified by its CONNECTION-ID, and once a ConnectionBind claimed it, spliced with
 * that client data connection. Its id, timer and place in the allocation change on the allocation's event
 * loop; the client data connection it is spliced with is known on the peer connection's own loop.
 */
public final class PeerConnection {

    private final TcpRelays relays;
    private final TcpAllocation owner;
    private final InetSocketAddress peer;
    private Channel channel;
    private int id;
    private ScheduledFuture<?> bindTimer;
    /** The client data connection, once bound; on the peer connection's loop only. */
    private Channel data;

    PeerConnection(TcpRelays relays, TcpAllocation owner, InetSocketAddress peer) {
        this.relays = relays;
        this.owner = owner;
        this.peer = peer;
    }

    InetSocketAddress peer() {
        return peer;
    }

    int id() {
        return id;
    }

    /** The user of the allocation: only the same user's ConnectionBind may claim this connection. */
    String username() {
        return owner.allocation().username();
    }

    Allocation allocation() {
        return owner.allocation();
    }

    Channel data() {
        return data;
    }

    /**
     * The TCP connection with the peer is up and known as {@code id}; it must be bound within the timeout.
     * On the allocation's event loop. However soon the connection closes, even before this call, {@link #closed}
     * follows once.
     */
    void established(Channel channel, int id, long bindTimeoutMillis) {
        this.channel = channel;
        this.id = id;
        bindTimer = owner.allocation().client().eventLoop().schedule(() -> relays.bindTimedOut(this),
                bindTimeoutMillis, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> closed());
    }

    /**
     * Splices this connection with the client data connection {@code client} that claimed it (RFC 6062
     * §5.4): from now on each carries the other's bytes as they are. Call on {@code client}'s event loop
     * after the ConnectionBind success response is written, and take the STUN handlers out of its pipeline
     * after this call: the bytes a client sent right behind its ConnectionBind go to the peer.
     */
    public void splice(Channel client) {
        client.pipeline().addLast("tcp-relay", new ClientDataHandler(channel, relays.counters()));
        channel.eventLoop().execute(() -> attach(client));
    }

    private void attach(Channel client) {
        // The bind timer, if it still runs, finds the id claimed and does nothing.
        if (!channel.isActive()) {
            client.close();
            return;
        }
        data = client;
        // RFC 6062 §5.2, §5.3: the peer's data waited in the kernel until now; read it from here on.
        channel.config().setAutoRead(true);
    }

    /** Closes the connection with the peer (and so its client data connection); nothing when it is not up yet. */
    void close() {
        if (channel != null) {
            channel.close();
        }
    }

    /**
     * The peer's connection closed: its client data connection follows, and on the allocation's loop it
     * leaves the allocation.
     */
    private void closed() {
        if (data != null) {
            Splices.closeAfterFlush(data);
        }
        TcpRelays.onLoop(owner.allocation().client().eventLoop(), () -> {
            cancelTimer();
            owner.remove(this);
            relays.closed(this);
        });
    }

    private void cancelTimer() {
        if (bindTimer != null) {
            bindTimer.cancel(false);
            bindTimer = null;
        }
    }
}
