package dev.turnlab.server.auth;

import java.net.InetAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Limits failed logins per client address and per user with token buckets (see {@link LoginLimits}).
 *
 * <p>A source whose bucket is empty has no password checked any more, for any user, until a token
 * refills. A user whose bucket is empty is not locked out: a source without a failed login in the last
 * window still has its password checked, so an attacker cannot lock a user out from elsewhere; only
 * sources that failed lately are refused for that user. A distributed guesser thus gets about one guess
 * per address and window once the user's bucket is empty. A success resets nothing (an attacker's own
 * valid account must not refill its bucket). The caller counts only requests whose nonce this server
 * issued to that address, so a spoofed source cannot spend another address's tokens.
 *
 * <p>Memory is bounded: at most {@code tracked} sources and {@code tracked} users are remembered, the
 * least recently seen forgotten first; an entry exists only after a failure. One lock guards both
 * tables: it is taken only for requests that carry credentials, never on the data path.
 */
public final class LoginLimiter {

    /** Whether the password of a request may be checked. */
    public enum Verdict {
        /** Check the password. */
        CHECK,
        /** The source failed too often: refuse unchecked. */
        SOURCE_LIMITED,
        /** The user failed too often and this source failed lately: refuse unchecked. */
        USER_LIMITED
    }

    private final LoginLimits limits;
    private final Clock clock;
    private final Map<Long, Bucket> sources;
    private final Map<String, Bucket> users;

    /** A limiter of {@code limits} on {@code clock}. */
    public LoginLimiter(LoginLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.sources = lru(limits.tracked());
        this.users = lru(limits.tracked());
    }

    /** Whether a login of {@code user} (null when unknown) from {@code source} may have its password checked. */
    public synchronized Verdict admit(InetAddress source, String user) {
        if (!limits.enabled()) {
            return Verdict.CHECK;
        }
        long now = clock.millis();
        Bucket s = sources.get(SourceKey.of(source));
        if (limits.perSource() > 0 && s != null && s.level(now, limits.perSource(), limits) < 1) {
            return Verdict.SOURCE_LIMITED;
        }
        Bucket u = user == null ? null : users.get(user);
        if (limits.perUser() > 0 && u != null && u.level(now, limits.perUser(), limits) < 1
                && s != null && now - s.lastFailure < limits.window().toMillis()) {
            return Verdict.USER_LIMITED;
        }
        return Verdict.CHECK;
    }

    /** Records a failed login of {@code user} (null when unknown) from {@code source}. */
    public synchronized void failed(InetAddress source, String user) {
        if (!limits.enabled()) {
            return;
        }
        long now = clock.millis();
        Bucket s = sources.computeIfAbsent(SourceKey.of(source), k -> new Bucket(limits.perSource(), now));
        s.take(now, limits.perSource(), limits);
        s.lastFailure = now;
        if (user != null && limits.perUser() > 0) {
            users.computeIfAbsent(user, k -> new Bucket(limits.perUser(), now)).take(now, limits.perUser(), limits);
        }
    }

    /** How many sources are remembered now. */
    public synchronized int trackedSources() {
        return sources.size();
    }

    /** How many users are remembered now. */
    public synchronized int trackedUsers() {
        return users.size();
    }

    private static <K> Map<K, Bucket> lru(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Bucket> eldest) {
                return size() > capacity;
            }
        };
    }

    /** A token bucket of failures; a capacity of 0 means no limit and only the last failure is kept. */
    private static final class Bucket {
        private double tokens;
        private long updated;
        private long lastFailure;

        Bucket(int capacity, long now) {
            this.tokens = capacity;
            this.updated = now;
        }

        double level(long now, int capacity, LoginLimits limits) {
            if (now > updated) {
                tokens = Math.min(capacity, tokens + (double) (now - updated) * capacity / limits.window().toMillis());
                updated = now;
            }
            return tokens;
        }

        void take(long now, int capacity, LoginLimits limits) {
            tokens = Math.max(0, level(now, capacity, limits) - 1);
        }
    }
}
