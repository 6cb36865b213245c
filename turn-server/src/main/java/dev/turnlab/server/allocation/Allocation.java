package dev.turnlab.server.allocation;

import io.netty.channel.Channel;
import io.netty.util.collection.IntObjectHashMap;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One allocation (RFC 8656 §2.2): the relayed transport address, the 5-tuple and user that own it, its
 * permissions and channel bindings, and traffic counters. All state is touched only on the owning
 * client link's event loop, so the data path needs no locks. Times are epoch milliseconds from the
 * server's clock.
 */
public final class Allocation {

    /** What a ChannelBind request found (RFC 8656 §11.2). */
    public enum BindOutcome {
        /** Bound or refreshed. */
        BOUND,
        /** The channel number is (or recently was) bound to another peer. */
        NUMBER_IN_USE,
        /** The peer is (or recently was) bound to another channel number. */
        PEER_IN_USE
    }

    private final FiveTuple fiveTuple;
    private final String username;
    private final ClientLink client;
    private final Channel relay;
    private final InetSocketAddress relayedAddress;
    private final Lifetimes lifetimes;
    private final Map<InetAddress, Long> permissions = new HashMap<>(4);
    private final IntObjectHashMap<ChannelBinding> channelsByNumber = new IntObjectHashMap<>(4);
    private final Map<InetSocketAddress, ChannelBinding> channelsByPeer = new HashMap<>(4);
    private long expiresAt;
    private boolean deleted;

    private long packetsToPeer;
    private long bytesToPeer;
    private long packetsToClient;
    private long bytesToClient;

    /**
     * An allocation relaying through {@code relay}, advertised to the client as {@code relayedAddress}
     * (which differs from the bound address behind a static NAT), expiring {@code lifetime} from {@code now}.
     */
    public Allocation(FiveTuple fiveTuple, String username, ClientLink client, Channel relay,
            InetSocketAddress relayedAddress, Lifetimes lifetimes, Duration lifetime, long now) {
        this.fiveTuple = fiveTuple;
        this.username = username;
        this.client = client;
        this.relay = relay;
        this.relayedAddress = relayedAddress;
        this.lifetimes = lifetimes;
        this.expiresAt = now + lifetime.toMillis();
    }

    /** The 5-tuple that owns this allocation. */
    public FiveTuple fiveTuple() {
        return fiveTuple;
    }

    /** The user whose credentials created it (RFC 8656 §5: later requests must use the same). */
    public String username() {
        return username;
    }

    /** The link back to the client. */
    public ClientLink client() {
        return client;
    }

    /** The relay socket (a bound UDP channel). */
    public Channel relay() {
        return relay;
    }

    /** The relayed transport address as advertised in XOR-RELAYED-ADDRESS (RFC 8656 §7.2). */
    public InetSocketAddress relayedAddress() {
        return relayedAddress;
    }

    /** When the allocation expires, in epoch milliseconds. */
    public long expiresAt() {
        return expiresAt;
    }

    /** Whether the allocation's time-to-expiry has run out. */
    public boolean isExpired(long now) {
        return now >= expiresAt;
    }

    /** Whether {@link #markDeleted()} was called. */
    public boolean isDeleted() {
        return deleted;
    }

    /** Marks the allocation gone, so late packets and timers ignore it; returns false if it already was. */
    public boolean markDeleted() {
        if (deleted) {
            return false;
        }
        deleted = true;
        return true;
    }

    /** Sets the time-to-expiry (RFC 8656 §7.3). */
    public void refresh(Duration lifetime, long now) {
        expiresAt = now + lifetime.toMillis();
    }

    /** Installs or refreshes the permission for a peer IP address, port ignored (RFC 8656 §9). */
    public void installPermission(InetAddress peer, long now) {
        permissions.put(peer, now + lifetimes.permission().toMillis());
    }

    /** Whether an unexpired permission exists for {@code peer} (RFC 8656 §9). */
    public boolean hasPermission(InetAddress peer, long now) {
        Long expiry = permissions.get(peer);
        return expiry != null && now < expiry;
    }

    /**
     * Binds or refreshes channel {@code number} to {@code peer} (RFC 8656 §11.2): a number bound to
     * another peer, or a peer bound to another number, is refused, also for 5 minutes after that binding
     * expired (§12). A successful bind also installs or refreshes the peer's permission.
     */
    public BindOutcome bindChannel(int number, InetSocketAddress peer, long now) {
        ChannelBinding byNumber = channelsByNumber.get(number);
        if (byNumber != null && !byNumber.peer().equals(peer) && !released(byNumber, now)) {
            return BindOutcome.NUMBER_IN_USE;
        }
        ChannelBinding byPeer = channelsByPeer.get(peer);
        if (byPeer != null && byPeer.number() != number && !released(byPeer, now)) {
            return BindOutcome.PEER_IN_USE;
        }
        long expiry = now + lifetimes.channel().toMillis();
        if (byNumber != null && byNumber == byPeer) {
            byNumber.refresh(expiry);
        } else {
            remove(byNumber);
            remove(byPeer);
            ChannelBinding binding = new ChannelBinding(number, peer, expiry);
            channelsByNumber.put(number, binding);
            channelsByPeer.put(peer, binding);
        }
        installPermission(peer.getAddress(), now);
        return BindOutcome.BOUND;
    }

    /** The unexpired binding of channel {@code number}, or null: the ChannelData path (RFC 8656 §12.6). */
    public ChannelBinding channel(int number, long now) {
        ChannelBinding b = channelsByNumber.get(number);
        return b != null && now < b.expiresAt() ? b : null;
    }

    /** The unexpired binding to {@code peer}, or null: chooses ChannelData over a Data indication (§12.7). */
    public ChannelBinding channelTo(InetSocketAddress peer, long now) {
        ChannelBinding b = channelsByPeer.get(peer);
        return b != null && now < b.expiresAt() ? b : null;
    }

    /** Drops expired permissions and bindings past their hold time (RFC 8656 §9, §12). */
    public void sweep(long now) {
        permissions.values().removeIf(expiry -> now >= expiry);
        Iterator<ChannelBinding> it = channelsByPeer.values().iterator();
        while (it.hasNext()) {
            ChannelBinding b = it.next();
            if (released(b, now)) {
                it.remove();
                channelsByNumber.remove(b.number());
            }
        }
    }

    /** The number of unexpired permissions. */
    public int permissionCount(long now) {
        int n = 0;
        for (long expiry : permissions.values()) {
            if (now < expiry) {
                n++;
            }
        }
        return n;
    }

    private boolean released(ChannelBinding b, long now) {
        return now >= b.expiresAt() + lifetimes.channelHold().toMillis();
    }

    private void remove(ChannelBinding b) {
        if (b != null) {
            channelsByNumber.remove(b.number());
            channelsByPeer.remove(b.peer());
        }
    }

    /** Counts a datagram relayed from the client to a peer. */
    public void countToPeer(int bytes) {
        packetsToPeer++;
        bytesToPeer += bytes;
    }

    /** Counts a datagram relayed from a peer to the client. */
    public void countToClient(int bytes) {
        packetsToClient++;
        bytesToClient += bytes;
    }

    /** Datagrams relayed client → peer. */
    public long packetsToPeer() {
        return packetsToPeer;
    }

    /** Payload bytes relayed client → peer. */
    public long bytesToPeer() {
        return bytesToPeer;
    }

    /** Datagrams relayed peer → client. */
    public long packetsToClient() {
        return packetsToClient;
    }

    /** Payload bytes relayed peer → client. */
    public long bytesToClient() {
        return bytesToClient;
    }

    @Override
    public String toString() {
        return "allocation " + FiveTuple.format(relayedAddress) + " for " + username + " (" + fiveTuple + ")";
    }
}
