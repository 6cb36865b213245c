package dev.turnlab.server.allocation;

import dev.turnlab.codec.StunMessage;
import io.netty.util.collection.IntObjectHashMap;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

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
        PEER_IN_USE,
        /** A new binding (or its permission) would exceed the allocation's quota: 508 Insufficient Capacity. */
        QUOTA_REACHED
    }

    private final String id = newId();
    private final FiveTuple fiveTuple;
    private final String username;
    private final ClientLink client;
    private final List<Relay> relays;
    private final Lifetimes lifetimes;
    private final int peerQuota;
    private final long createdAt;
    private final Map<InetAddress, Long> permissions = new HashMap<>(4);
    private final IntObjectHashMap<ChannelBinding> channelsByNumber = new IntObjectHashMap<>(4);
    private final Map<InetSocketAddress, ChannelBinding> channelsByPeer = new HashMap<>(4);
    private long expiresAt;
    private boolean deleted;

    private final Traffic traffic = new Traffic();
    /** The bandwidth limit each way (coturn's max-bps), or null for none; see {@link TokenBucket} on threads. */
    private final TokenBucket toPeerRate;
    private final TokenBucket toClientRate;
    private final long maxBps;
    /** Over-rate drops already reported in the log, each way. */
    private long reportedOverRateToPeer;
    private long reportedOverRateToClient;
    /** Written once on the client's event loop; read there too, volatile for the rare reader elsewhere. */
    private volatile StunMessage allocateResponse;

    /**
     * An allocation relaying through {@code relays} (one, or one per address family), expiring
     * {@code lifetime} from {@code now}, holding at most {@code peerQuota} permissions and as many
     * channel bindings, so that one client cannot grow the server's memory without bound.
     */
    public Allocation(FiveTuple fiveTuple, String username, ClientLink client, List<Relay> relays,
            Lifetimes lifetimes, Duration lifetime, long now, int peerQuota) {
        this(fiveTuple, username, client, relays, lifetimes, lifetime, now, peerQuota, 0);
    }

    /**
     * An allocation as above that relays at most {@code maxBps} payload bytes per second each way, client →
     * peer and peer → client separately, with a burst of one second's worth; 0 for no limit.
     */
    public Allocation(FiveTuple fiveTuple, String username, ClientLink client, List<Relay> relays,
            Lifetimes lifetimes, Duration lifetime, long now, int peerQuota, long maxBps) {
        if (maxBps < 0) {
            throw new IllegalArgumentException("maxBps: " + maxBps + " (expected: >= 0, 0 for no limit)");
        }
        this.maxBps = maxBps;
        this.toPeerRate = maxBps == 0 ? null : new TokenBucket(maxBps, maxBps, now);
        this.toClientRate = maxBps == 0 ? null : new TokenBucket(maxBps, maxBps, now);
        if (relays.isEmpty()) {
            throw new IllegalArgumentException("relays: none (expected: at least one)");
        }
        if (peerQuota < 1) {
            throw new IllegalArgumentException("peerQuota: " + peerQuota + " (expected: >= 1)");
        }
        this.peerQuota = peerQuota;
        this.fiveTuple = fiveTuple;
        this.username = username;
        this.client = client;
        this.relays = List.copyOf(relays);
        this.lifetimes = lifetimes;
        this.createdAt = now;
        this.expiresAt = now + lifetime.toMillis();
    }

    /**
     * A name for this allocation in logs, the status page and the admin API: 12 random hex digits, so that
     * lines about one allocation can be found together, also across servers and restarts.
     */
    public String id() {
        return id;
    }

    private static String newId() {
        return String.format("%012x", ThreadLocalRandom.current().nextLong() >>> 16);
    }

    /** When the allocation was created, in epoch milliseconds. */
    public long createdAt() {
        return createdAt;
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

    /** The relays, the first one of the requested (or default IPv4) family. */
    public List<Relay> relays() {
        return relays;
    }

    /** The first relayed transport address as advertised in XOR-RELAYED-ADDRESS (RFC 8656 §7.2). */
    public InetSocketAddress relayedAddress() {
        return relays.get(0).relayedAddress();
    }

    /** The relay for peers of {@code peer}'s family, or null: a family mismatch (443, RFC 8656 §9.2). */
    public Relay relayFor(InetAddress peer) {
        for (Relay r : relays) {
            if (r.serves(peer)) {
                return r;
            }
        }
        return null;
    }

    /** When the allocation expires, in epoch milliseconds. */
    public long expiresAt() {
        return expiresAt;
    }

    /** Whether the allocation's time-to-expiry has run out. */
    public boolean isExpired(long now) {
        return now >= expiresAt;
    }

    /**
     * The success response to the Allocate that made this allocation, kept for a retransmission of that
     * request (RFC 8656 §7.2 rule 2), or null before it was sent.
     */
    public StunMessage allocateResponse() {
        return allocateResponse;
    }

    /** Keeps {@code response}, the success response to the Allocate that made this allocation. */
    public void allocateResponse(StunMessage response) {
        allocateResponse = response;
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

    /**
     * Whether permissions for all of {@code peers} fit in the quota: those already held are refreshed
     * in place, new ones need room; expired permissions are swept first to make it.
     */
    public boolean hasRoomForPermissions(List<InetAddress> peers, long now) {
        long fresh = peers.stream().distinct().filter(p -> !permissions.containsKey(p)).count();
        if (permissions.size() + fresh <= peerQuota) {
            return true;
        }
        sweep(now);
        fresh = peers.stream().distinct().filter(p -> !permissions.containsKey(p)).count();
        return permissions.size() + fresh <= peerQuota;
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
        boolean fresh = byNumber == null && byPeer == null;
        if (fresh && !hasRoomForChannel(now) || !hasRoomForPermissions(List.of(peer.getAddress()), now)) {
            return BindOutcome.QUOTA_REACHED;
        }
        long expiry = now + lifetimes.channel().toMillis();
        if (byNumber != null && byNumber == byPeer) {
            byNumber.refresh(expiry);
        } else {
            remove(byNumber);
            remove(byPeer);
            ChannelBinding binding = new ChannelBinding(number, peer, relayFor(peer.getAddress()), expiry);
            channelsByNumber.put(number, binding);
            channelsByPeer.put(peer, binding);
        }
        installPermission(peer.getAddress(), now);
        return BindOutcome.BOUND;
    }

    private boolean hasRoomForChannel(long now) {
        if (channelsByPeer.size() < peerQuota) {
            return true;
        }
        sweep(now);
        return channelsByPeer.size() < peerQuota;
    }

    /** The number of channel bindings held, including those in their hold time after expiry (RFC 8656 §12). */
    public int channelCount() {
        return channelsByPeer.size();
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

    /** The peer addresses with an unexpired permission (a copy, for status reports). */
    public List<InetAddress> permissions(long now) {
        List<InetAddress> peers = new ArrayList<>(permissions.size());
        permissions.forEach((peer, expiry) -> {
            if (now < expiry) {
                peers.add(peer);
            }
        });
        return peers;
    }

    /** The unexpired channel bindings (a copy, for status reports). */
    public List<ChannelBinding> channels(long now) {
        List<ChannelBinding> bound = new ArrayList<>(channelsByNumber.size());
        for (ChannelBinding b : channelsByNumber.values()) {
            if (now < b.expiresAt()) {
                bound.add(b);
            }
        }
        return bound;
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
        traffic.countToPeer(bytes);
    }

    /** Counts a datagram relayed from a peer to the client. */
    public void countToClient(int bytes) {
        traffic.countToClient(bytes);
    }

    /** The bandwidth limit each way in bytes per second, 0 for none. */
    public long maxBps() {
        return maxBps;
    }

    /**
     * Whether {@code bytes} of data from the client may go to a peer now under the bandwidth limit; if not,
     * the drop is counted. Called on the allocation's event loop, once per datagram.
     */
    public boolean admitToPeer(int bytes, long now) {
        if (toPeerRate == null || toPeerRate.tryTake(bytes, now)) {
            return true;
        }
        traffic.countOverRateToPeer(bytes);
        return false;
    }

    /** Whether {@code bytes} of data from a peer may go to the client now; if not, the drop is counted. */
    public boolean admitToClient(int bytes, long now) {
        if (toClientRate == null || toClientRate.tryTake(bytes, now)) {
            return true;
        }
        traffic.countOverRateToClient(bytes);
        return false;
    }

    /**
     * The datagrams dropped over the bandwidth limit since the last call, to peers and to the client: for
     * one log line per allocation and sweep, never one per datagram. Call on the allocation's event loop.
     */
    public long[] overRateSinceReported() {
        long toPeer = traffic.overRatePacketsToPeer() - reportedOverRateToPeer;
        long toClient = traffic.overRatePacketsToClient() - reportedOverRateToClient;
        reportedOverRateToPeer = traffic.overRatePacketsToPeer();
        reportedOverRateToClient = traffic.overRatePacketsToClient();
        return new long[] {toPeer, toClient};
    }

    /** The traffic relayed so far; read it on the allocation's event loop. */
    public Traffic traffic() {
        return traffic;
    }

    /** Datagrams relayed client → peer. */
    public long packetsToPeer() {
        return traffic.packetsToPeer();
    }

    /** Payload bytes relayed client → peer. */
    public long bytesToPeer() {
        return traffic.bytesToPeer();
    }

    /** Datagrams relayed peer → client. */
    public long packetsToClient() {
        return traffic.packetsToClient();
    }

    /** Payload bytes relayed peer → client. */
    public long bytesToClient() {
        return traffic.bytesToClient();
    }

    @Override
    public String toString() {
        return "allocation " + FiveTuple.format(relayedAddress()) + " for " + username + " (" + fiveTuple + ")";
    }
}
