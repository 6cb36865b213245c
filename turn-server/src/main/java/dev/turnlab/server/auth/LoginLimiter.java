package dev.turnlab.server.auth;

import dev.turnlab.server.LoginLimits;
import java.net.InetAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Limits failed logins with token buckets (see {@link LoginLimits}): per client address, per pair of
 * address and username, and per existing user.
 *
 * <p>Three rules, so that (a) one address cannot guess without end, (b) one noisy client behind a NAT
 * cannot lock out the other users behind it, and (c) an attacker elsewhere cannot lock a real user out:
 * <ul>
 * <li>An address whose bucket is empty has no password checked any more, for any user, until a token
 *     refills: the ceiling against one address spraying usernames.
 * <li>An address whose bucket for one username is empty has no password checked for that username. Such
 *     refusals are not failures and do not drain the address's bucket, so a client retrying a wrong or
 *     unknown name spends at most {@code perUser} of its address's {@code perSource} per window.
 * <li>An existing user whose bucket is empty is not locked out: an address that did not fail <em>for that
 *     user</em> in the last window still has its password checked; only such addresses are refused. A
 *     distributed guesser thus gets about one guess per address and window once the user's bucket is
 *     empty, and another host failing for another name behind the same NAT does not matter.
 * </ul>
 * A success resets nothing (an attacker's own valid account must not refill its bucket). The caller
 * counts only requests whose nonce this server issued to that address, so a spoofed source cannot spend
 * another address's tokens, and not an expired credential that proved its key (not a guess).
 *
 * <p>Memory is bounded: at most {@code tracked} addresses, users, pairs with existing users and pairs with
 * other names are remembered, the least recently seen forgotten first; an entry exists only after a
 * failure. Users and their pairs are kept apart from names that do not exist, so that a flood of made-up
 * names cannot evict the state of a user under attack. One lock guards the tables: it is
 * taken only for requests that carry credentials, never on the data path.
 */
public final class LoginLimiter {

    /** Whether the password of a request may be checked. */
    public enum Verdict {
        /** Check the password. */
        CHECK,
        /** The source failed too often: refuse unchecked. */
        SOURCE_LIMITED,
        /** This source failed too often for the user, or the user did and this source failed for it lately. */
        USER_LIMITED
    }

    private final LoginLimits limits;
    private final Clock clock;
    private final Map<Long, Bucket> sources;
    private final Map<SourceUser, Bucket> pairs;
    private final Map<SourceUser, Bucket> userPairs;
    private final Map<String, Bucket> users;

    /** A limiter of {@code limits} on {@code clock}. */
    public LoginLimiter(LoginLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.sources = lru(limits.tracked());
        this.pairs = lru(limits.tracked());
        this.userPairs = lru(limits.tracked());
        this.users = lru(limits.tracked());
    }

    /** Whether a login of {@code user} (null when unknown) from {@code source} may have its password checked. */
    public synchronized Verdict admit(InetAddress source, String user) {
        if (!limits.enabled()) {
            return Verdict.CHECK;
        }
        long now = clock.millis();
        long key = SourceKey.of(source);
        Bucket s = sources.get(key);
        if (limits.perSource() > 0 && s != null && s.level(now, limits.perSource(), limits) < 1) {
            return Verdict.SOURCE_LIMITED;
        }
        SourceUser pair = new SourceUser(key, user);
        Bucket known = userPairs.get(pair);
        Bucket unknown = pairs.get(pair);
        if (limits.perUser() > 0 && (known != null && known.level(now, limits.perUser(), limits) < 1
                || unknown != null && unknown.level(now, limits.perUser(), limits) < 1)) {
            return Verdict.USER_LIMITED;
        }
        Bucket u = known == null ? null : users.get(user);
        if (limits.perUser() > 0 && u != null && u.level(now, limits.perUser(), limits) < 1
                && now - known.lastFailure < limits.window().toMillis()) {
            return Verdict.USER_LIMITED;
        }
        return Verdict.CHECK;
    }

    /**
     * Records a failed login (an unknown user or a MAC that does not verify) of {@code user} (null when
     * unknown) from {@code source}; {@code userExists} when the store has a password for {@code user}.
     */
    public synchronized void failed(InetAddress source, String user, boolean userExists) {
        if (!limits.enabled()) {
            return;
        }
        long now = clock.millis();
        long key = SourceKey.of(source);
        sources.computeIfAbsent(key, k -> new Bucket(limits.perSource(), now)).take(now, limits.perSource(), limits);
        boolean exists = userExists && user != null;
        Bucket p = (exists ? userPairs : pairs).computeIfAbsent(new SourceUser(key, user),
                k -> new Bucket(limits.perUser(), now));
        p.take(now, limits.perUser(), limits);
        p.lastFailure = now;
        if (exists && limits.perUser() > 0) {
            users.computeIfAbsent(user, k -> new Bucket(limits.perUser(), now)).take(now, limits.perUser(), limits);
        }
    }

    /** How many sources are remembered now. */
    public synchronized int trackedSources() {
        return sources.size();
    }

    /** How many pairs of source and username are remembered now, for existing users and for other names. */
    public synchronized int trackedPairs() {
        return userPairs.size() + pairs.size();
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

    /** A source (see {@link #key}) and a username, null when the USERHASH named no known user. */
    private record SourceUser(long source, String user) {
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
