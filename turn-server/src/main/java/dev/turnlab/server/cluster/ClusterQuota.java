package dev.turnlab.server.cluster;

import io.lettuce.core.ScriptOutputType;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-user quota counted over the cluster: each node keeps, per user, a field with the user's allocations
 * there ({@link ClusterKeys}); an admission sums the live nodes' fields and sets this node's in one script.
 * This node's field is always written as its whole count, never incremented, so a write that failed (Redis
 * down) is mended by the next one or by {@link #resync}. A user's count is read and its write sent under one
 * of a few locks, so that two event loops' writes for one user reach Redis in the order of their counts
 * (commands on one connection are applied in the order sent): a stale count never lands last.
 *
 * <p>When Redis does not answer within the command timeout the admission is {@link Verdict#UNCHECKED}: the
 * caller falls back to its local count, and one warning a minute says so.
 */
public final class ClusterQuota {

    /** What the cluster said of an admission. */
    public enum Verdict {
        /** Within the quota over the cluster: counted there. */
        ADMITTED,
        /** The user has as many allocations in the cluster as the quota allows: 486. */
        REFUSED,
        /** Redis did not answer in time: the local count decides. */
        UNCHECKED
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClusterQuota.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final String USER_TTL_MILLIS = Long.toString(ClusterKeys.USER_TTL.toMillis());

    private final RedisLink link;
    private final String realm;
    private final int quota;
    private final String instance;
    private final Set<String> unwritten = ConcurrentHashMap.newKeySet();
    private final LongAdder fallbacks = new LongAdder();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private volatile String field;
    /** Orders each user's count-and-send; a user always takes the same one. */
    private final Object[] stripes = new Object[32];

    /** A quota of {@code quota} allocations per user of {@code realm}, counted through {@code link}. */
    ClusterQuota(RedisLink link, String realm, int quota, String instance) {
        this.link = link;
        this.realm = realm;
        this.quota = quota;
        this.instance = instance;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    /** Names this node's fields after it; before, every admission is unchecked. */
    void joined(String nodeName) {
        field = nodeName + " " + instance;
    }

    /**
     * Asks whether {@code user}, who would hold {@code local} allocations on this node with the new one (read
     * under the user's lock), stays within the quota over the cluster; never fails, and completes within the
     * command timeout.
     */
    public CompletableFuture<Verdict> admit(String user, IntSupplier local) {
        String f = field;
        if (f == null) {
            return CompletableFuture.completedFuture(unchecked(user, "the node has not joined yet"));
        }
        String[] keys = {ClusterKeys.userAllocations(realm, user)};
        CompletableFuture<Long> reply;
        synchronized (stripe(user)) {
            reply = ClusterKeys.run(link, ClusterKeys.ADMIT, ScriptOutputType.INTEGER, keys, f,
                    Integer.toString(quota), Integer.toString(local.getAsInt()), USER_TTL_MILLIS);
        }
        return reply.handle((total, e) -> e != null ? unchecked(user, e.toString())
                : total < 0 ? Verdict.REFUSED : Verdict.ADMITTED);
    }

    /**
     * Writes that {@code user} now holds {@code local} allocations on this node (after a deletion or a cancel),
     * read under the user's lock.
     */
    public void changed(String user, IntSupplier local) {
        String f = field;
        if (f == null) {
            return;
        }
        String key = ClusterKeys.userAllocations(realm, user);
        CompletableFuture<?> write;
        synchronized (stripe(user)) {
            int count = local.getAsInt();
            write = count > 0 ? link.call(c -> {
                c.hset(key, f, Integer.toString(count));
                return c.pexpire(key, ClusterKeys.USER_TTL.toMillis());
            }) : link.call(c -> c.hdel(key, f));
        }
        write.whenComplete((v, e) -> {
            if (e != null) {
                unwritten.add(user);
            }
        });
    }

    /**
     * Writes the counts that could not be written, or every user's of {@code users} when {@code all} (Redis
     * lost this node's entry: its fields may have been deleted as a dead node's); {@code local} gives a user's
     * count on this node now.
     */
    void resync(boolean all, Collection<String> users, ToIntFunction<String> local) {
        if (all) {
            unwritten.addAll(users);
        }
        for (String user : unwritten) {
            unwritten.remove(user);
            changed(user, () -> local.applyAsInt(user));
        }
    }

    private Object stripe(String user) {
        return stripes[(user.hashCode() & 0x7fffffff) % stripes.length];
    }

    /** The admissions the local count decided because Redis did not answer in time. */
    public long fallbacks() {
        return fallbacks.sum();
    }

    private Verdict unchecked(String user, String why) {
        fallbacks.increment();
        unwritten.add(user);
        long last = lastWarning.get();
        long now = System.nanoTime();
        if (now - last >= LOG_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warn("user quota counted on this node only: Redis did not answer ({}); {} admission(s) so far, "
                    + "logged once a minute", why, fallbacks.sum());
        }
        return Verdict.UNCHECKED;
    }
}
