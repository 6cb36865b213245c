package dev.turnlab.server.allocation;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every allocation of a server, found by 5-tuple (RFC 8656 §5), with the quotas that bound them: per user
 * (486 Allocation Quota Reached), in total and by bandwidth (508 Insufficient Capacity). The bandwidth
 * budget is coturn's {@code bps-capacity}: every allocation reserves its {@code max-bps} out of it from
 * admission until it is removed or its admission cancelled, so the reservation ends however the
 * allocation does. Each listener socket has its
 * own {@link Scope}, so the data path finds an allocation from the sender's address alone.
 *
 * <p>The table also keeps the <em>generation</em> of every 5-tuple, bumped when an allocation of that
 * 5-tuple is removed. Nonces are bound to it, so that a request captured before a deallocation cannot be
 * replayed against the next allocation of the same 5-tuple (RFC 8656 §21). Generations live in a fixed
 * array indexed by a keyed hash of the 5-tuple (see {@link #slot}): memory does not grow, two 5-tuples
 * sharing a slot only cost each other an extra 438 Stale Nonce round trip, and nobody can choose a
 * 5-tuple that shares another client's slot.
 */
public final class AllocationTable {

    /** Whether a new allocation may be started (RFC 8656 §7.2 rules on quotas). */
    public enum Admission {
        /** Admitted; the caller must later {@link #add} or {@link #cancel}. */
        ADMITTED,
        /** The user has as many allocations as allowed: 486. */
        USER_QUOTA_REACHED,
        /** The server has as many allocations as allowed: 508. */
        CAPACITY_REACHED,
        /** The server's bandwidth budget has no room for one more allocation's limit: 508. */
        BANDWIDTH_REACHED
    }

    private final int userQuota;
    private final int totalQuota;
    private final Map<ScopeKey, Scope> scopes = new ConcurrentHashMap<>();
    private final Map<String, Integer> perUser = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicIntegerArray generations = new AtomicIntegerArray(GENERATION_SLOTS);
    private final SipHash slotHash;
    private final long maxBps;
    private final long bpsCapacity;
    private final AtomicLong reservedBps = new AtomicLong();

    private static final int GENERATION_SLOTS = 1 << 14;

    /** A table admitting at most {@code userQuota} allocations per user and {@code totalQuota} in all (0: no limit). */
    public AllocationTable(int userQuota, int totalQuota) {
        this(userQuota, totalQuota, 0, 0);
    }

    /**
     * A table as above where each allocation reserves {@code maxBps} bytes per second out of
     * {@code bpsCapacity} (0: no budget).
     */
    public AllocationTable(int userQuota, int totalQuota, long maxBps, long bpsCapacity) {
        this.maxBps = maxBps;
        this.bpsCapacity = bpsCapacity;
        this.userQuota = userQuota;
        this.totalQuota = totalQuota;
        SecureRandom random = new SecureRandom();
        this.slotHash = new SipHash(random.nextLong(), random.nextLong());
    }

    /** The allocations reached through one listening socket, by client address. */
    public static final class Scope {
        private final Map<InetSocketAddress, Allocation> byClient = new ConcurrentHashMap<>();

        /** The allocation of the client at {@code client}, or null; no allocation happens here. */
        public Allocation get(InetSocketAddress client) {
            return byClient.get(client);
        }
    }

    private record ScopeKey(Transport transport, InetSocketAddress server) {
    }

    /** The scope of the listener {@code server} for {@code transport}. */
    public Scope scope(Transport transport, InetSocketAddress server) {
        return scopes.computeIfAbsent(new ScopeKey(transport, server), k -> new Scope());
    }

    /** The allocation owned by {@code tuple}, or null. */
    public Allocation find(FiveTuple tuple) {
        Scope s = scopes.get(new ScopeKey(tuple.transport(), tuple.server()));
        return s == null ? null : s.get(tuple.client());
    }

    /** Counts a prospective allocation of {@code username} against the quotas. */
    public Admission admit(String username) {
        return admit(username, true);
    }

    /**
     * Counts a prospective allocation of {@code username} against the total quota and the bandwidth budget,
     * and against the user quota when {@code checkUserQuota} (not when a cluster counts users over its nodes);
     * the user's allocations here are counted either way.
     */
    public Admission admit(String username, boolean checkUserQuota) {
        if (total.incrementAndGet() > totalQuota && totalQuota > 0) {
            total.decrementAndGet();
            return Admission.CAPACITY_REACHED;
        }
        boolean[] admitted = {true};
        // compute() keeps the check and the increment atomic per user.
        perUser.compute(username, (u, count) -> {
            int n = count == null ? 0 : count;
            if (checkUserQuota && userQuota > 0 && n >= userQuota) {
                admitted[0] = false;
                return count;
            }
            return n + 1;
        });
        if (!admitted[0]) {
            total.decrementAndGet();
            return Admission.USER_QUOTA_REACHED;
        }
        if (!reserveBandwidth()) {
            total.decrementAndGet();
            perUser.computeIfPresent(username, (u, count) -> count <= 1 ? null : count - 1);
            return Admission.BANDWIDTH_REACHED;
        }
        return Admission.ADMITTED;
    }

    /** Reserves one allocation's {@code maxBps} if the budget has room for all of it (or there is no budget). */
    private boolean reserveBandwidth() {
        if (bpsCapacity == 0) {
            return true;
        }
        long reserved;
        do {
            reserved = reservedBps.get();
            if (reserved + maxBps > bpsCapacity) {
                return false;
            }
        } while (!reservedBps.compareAndSet(reserved, reserved + maxBps));
        return true;
    }

    /** The bandwidth limit of each allocation in bytes per second each way, 0 for none. */
    public long maxBps() {
        return maxBps;
    }

    /** The bandwidth budget in bytes per second, 0 for none. */
    public long bpsCapacity() {
        return bpsCapacity;
    }

    /** Bytes per second reserved by the allocations that exist or are being created (0 without a budget). */
    public long reservedBps() {
        return reservedBps.get();
    }

    /** Gives back an admission that did not become an allocation. */
    public void cancel(String username) {
        if (bpsCapacity > 0) {
            reservedBps.addAndGet(-maxBps);
        }
        total.decrementAndGet();
        perUser.computeIfPresent(username, (u, count) -> count <= 1 ? null : count - 1);
    }

    /** Records an admitted allocation under its 5-tuple. */
    public void add(Allocation allocation) {
        FiveTuple t = allocation.fiveTuple();
        scope(t.transport(), t.server()).byClient.put(t.client(), allocation);
        peak.accumulateAndGet(live.incrementAndGet(), Math::max);
    }

    /** Removes an allocation and gives back its quota; returns false if it was not in the table. */
    public boolean remove(Allocation allocation) {
        FiveTuple t = allocation.fiveTuple();
        Scope s = scopes.get(new ScopeKey(t.transport(), t.server()));
        if (s == null || !s.byClient.remove(t.client(), allocation)) {
            return false;
        }
        live.decrementAndGet();
        generations.incrementAndGet(slot(t));
        cancel(allocation.username());
        return true;
    }

    /** The generation of {@code tuple}: how often an allocation of it (or of a 5-tuple sharing its slot) ended. */
    public int generation(FiveTuple tuple) {
        return generations.get(slot(tuple));
    }

    /**
     * The slot of {@code tuple}: SipHash-2-4 under a per-table random key over the transport, both
     * addresses, the server's port and the client port's block of 16384 (the number of slots), plus the
     * client port within its block. So a client cannot pick a 5-tuple that shares a victim's slot (as it
     * could with {@code hashCode}, the address plus the port, and turn the victim's requests into 438s),
     * while the ports of one block of one client address never share a slot among themselves (a host with
     * thousands of allocations releasing them at once would otherwise meet birthday collisions).
     */
    int slot(FiveTuple tuple) {
        byte[] bytes = new byte[2 + 2 * (1 + 16 + 2)];
        bytes[0] = (byte) tuple.transport().ordinal();
        int port = tuple.client().getPort();
        bytes[1] = (byte) (port / GENERATION_SLOTS);
        int n = put(bytes, put(bytes, 2, tuple.client().getAddress(), 0), tuple.server().getAddress(),
                tuple.server().getPort());
        return ((int) slotHash.hash(bytes, n) + port) & (GENERATION_SLOTS - 1);
    }

    /** Writes the length and bytes of {@code ip}, then {@code port}, at {@code offset}; returns the end. */
    private static int put(byte[] bytes, int offset, InetAddress ip, int port) {
        byte[] a = ip == null ? new byte[0] : ip.getAddress();
        bytes[offset] = (byte) a.length;
        System.arraycopy(a, 0, bytes, offset + 1, a.length);
        int end = offset + 1 + a.length;
        bytes[end] = (byte) (port >> 8);
        bytes[end + 1] = (byte) port;
        return end + 2;
    }

    /** A snapshot of every allocation. */
    public List<Allocation> all() {
        List<Allocation> list = new ArrayList<>();
        for (Scope s : scopes.values()) {
            list.addAll(s.byClient.values());
        }
        return list;
    }

    /** How many allocations exist or are being created. */
    public int size() {
        return total.get();
    }

    /** The most allocations that were in the table at once. */
    public int peak() {
        return peak.get();
    }

    /** The most allocations one user may hold (0: no limit). */
    public int userQuota() {
        return userQuota;
    }

    /** The total quota: the most allocations this server holds (0: no limit). */
    public int totalQuota() {
        return totalQuota;
    }

    /** The users holding or creating allocations. */
    public Set<String> users() {
        return Set.copyOf(perUser.keySet());
    }

    /** How many allocations {@code username} holds or is creating. */
    public int count(String username) {
        Integer c = perUser.get(username);
        return c == null ? 0 : c;
    }
}
