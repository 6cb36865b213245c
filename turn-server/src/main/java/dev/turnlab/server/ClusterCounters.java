package dev.turnlab.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this node's use of the cluster's Redis did: users looked up, logins answered from a cache past its
 * time to live while Redis could not be asked, logins refused because nobody could check them (500), and
 * allocation events published (coturn's {@code schema.stats.redis}) or lost. Thread-safe; all zero for a
 * server on its own.
 */
public final class ClusterCounters {

    /** Why a login was refused without its credentials being checked. */
    public enum Refusal {
        /** Redis could not be asked (down, slow past the command timeout) and the cache had nothing recent enough. */
        REDIS_UNAVAILABLE("redis_unavailable"),
        /** Too many look-ups were in flight already: a flood of unknown names does not queue without bound. */
        LOOKUPS_FULL("lookups_full");

        private final String label;

        Refusal(String label) {
            this.label = label;
        }

        /** The metric label. */
        public String label() {
            return label;
        }
    }

    private final AtomicLong lookups = new AtomicLong();
    private final AtomicLong staleLogins = new AtomicLong();
    private final AtomicLong[] refused = {new AtomicLong(), new AtomicLong()};
    private final AtomicLong eventsPublished = new AtomicLong();
    private final AtomicLong eventsFailed = new AtomicLong();

    /** Counts one look-up of a user (or of the shared secrets) sent to Redis. */
    public void lookup() {
        lookups.incrementAndGet();
    }

    /** Counts one login checked against cached credentials past their time to live, Redis being unavailable. */
    public void staleLogin() {
        staleLogins.incrementAndGet();
    }

    /** Counts one login refused for {@code why}. */
    public void refused(Refusal why) {
        refused[why.ordinal()].incrementAndGet();
    }

    /** Counts one allocation event written to Redis ({@code ok}) or lost. */
    public void event(boolean ok) {
        (ok ? eventsPublished : eventsFailed).incrementAndGet();
    }

    /** Look-ups sent to Redis. */
    public long lookups() {
        return lookups.get();
    }

    /** Logins checked against cached credentials past their time to live. */
    public long staleLogins() {
        return staleLogins.get();
    }

    /** Logins refused unchecked, by {@link Refusal#label()}. */
    public Map<String, Long> refusals() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Refusal r : Refusal.values()) {
            m.put(r.label(), refused[r.ordinal()].get());
        }
        return m;
    }

    /** Logins refused unchecked for {@code why}. */
    public long refusedFor(Refusal why) {
        return refused[why.ordinal()].get();
    }

    /** Allocation events written to Redis. */
    public long eventsPublished() {
        return eventsPublished.get();
    }

    /** Allocation events that could not be written (Redis down or slow); the allocations were not affected. */
    public long eventsFailed() {
        return eventsFailed.get();
    }
}
