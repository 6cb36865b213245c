package dev.turnlab.server.cluster;

import dev.turnlab.server.ClusterCounters;
import dev.turnlab.server.auth.CredentialStore;
import dev.turnlab.server.auth.SharedSecretCredentials;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of the cluster's Redis in coturn's layout ({@link CoturnKeys}): a user's MD5 long-term key, and
 * the realm's shared secrets, any of which signs a TURN REST API username. Answers only from memory; a user
 * not in memory, or in it past the cache's time to live, is {@linkplain #lookUp looked up} first, without
 * blocking, so that a change in Redis is seen within the time to live. Unknown users are remembered too,
 * so that one name retried does not ask Redis each time.
 *
 * <p>While Redis cannot be asked (down, or slower than the command timeout), a user cached within the time
 * to live plus {@code staleCredentials} still logs in, counted; anything else cannot be checked and its
 * look-up fails, counted, with one warning line every {@link #WARN_EVERY_MILLIS} at most. At most
 * {@code maxLookups} look-ups are in flight; past that a look-up fails at once.
 */
public final class RedisUsers implements CredentialStore {

    private static final Logger LOG = LoggerFactory.getLogger(RedisUsers.class);
    /** The default bound on look-ups in flight. */
    public static final int DEFAULT_MAX_LOOKUPS = 1024;
    /** How many users (and unknown names) are remembered; the least recently used is forgotten first. */
    static final int MAX_CACHED = 65_536;
    static final long WARN_EVERY_MILLIS = 10_000;
    private static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{32}");
    private static final String SECRETS = "\0secrets"; // the look-up key of the secrets: no user name has a NUL

    /** A user as read from Redis at {@code readAt}: its MD5 key, or null for no such user. */
    private record CachedUser(byte[] key, long readAt) {
    }

    /** The realm's shared secrets as read at {@code readAt}. */
    private record Secrets(List<SharedSecretCredentials> stores, long readAt) {
    }

    private final RedisLink link;
    private final String realm;
    private final ClusterCounters counters;
    private final Clock clock;
    private final long ttl;
    private final long usable;
    private final int maxLookups;
    private final Map<String, CachedUser> users = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CachedUser> eldest) {
            return size() > MAX_CACHED;
        }
    };
    private volatile Secrets secrets;
    private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong lastWarning = new AtomicLong(); // epoch 0: the first refusal is said at once
    private final AtomicLong refusedSinceWarning = new AtomicLong();

    /** The users of {@code realm} in the Redis of {@code link}, with at most {@code maxLookups} look-ups in flight. */
    public RedisUsers(RedisLink link, String realm, ClusterCounters counters, Clock clock, int maxLookups) {
        this.link = link;
        this.realm = realm;
        this.counters = counters;
        this.clock = clock;
        this.ttl = link.config().userCacheTtl().toMillis();
        this.usable = ttl + link.config().staleCredentials().toMillis();
        this.maxLookups = maxLookups;
    }

    /**
     * Null when {@code username} is in memory within the time to live (and, for a REST API username that is
     * no stored user, the secrets too); else the look-up of what is missing, which completes when it was read,
     * or, when Redis cannot be asked, at once if what memory holds is recent enough, or fails.
     */
    @Override
    public CompletableFuture<Void> lookUp(String username, long nowMillis) {
        CachedUser user = user(username);
        boolean userFresh = user != null && nowMillis - user.readAt() < ttl;
        if (userFresh && user.key() != null) {
            return null;
        }
        boolean rest = SharedSecretCredentials.isRestUsername(username);
        Secrets s = secrets;
        boolean secretsFresh = !rest || s != null && nowMillis - s.readAt() < ttl;
        if (userFresh && secretsFresh) {
            return null;
        }
        CompletableFuture<Void> read = CompletableFuture.allOf(
                userFresh ? CompletableFuture.completedFuture(null) : once(username, () -> readUser(username)),
                secretsFresh ? CompletableFuture.completedFuture(null) : once(SECRETS, this::readSecrets));
        CompletableFuture<Void> answer = new CompletableFuture<>();
        read.whenComplete((v, e) -> {
            if (e == null) {
                answer.complete(null);
            } else if (usableStale(username, rest)) {
                counters.staleLogin();
                answer.complete(null);
            } else {
                boolean full = e instanceof LookupsFull || e.getCause() instanceof LookupsFull;
                refused(full ? ClusterCounters.Refusal.LOOKUPS_FULL : ClusterCounters.Refusal.REDIS_UNAVAILABLE, e);
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    /** A cached user's key is used while the cache may be: past the time to live only when Redis could not be asked. */
    @Override
    public Optional<byte[]> md5Key(String username) {
        CachedUser user = user(username);
        return user != null && user.key() != null && clock.millis() - user.readAt() < usable
                ? Optional.of(user.key().clone()) : Optional.empty();
    }

    @Override
    public Optional<String> password(String username, long nowMillis) {
        return passwords(username, nowMillis).stream().findFirst();
    }

    /** For a REST API username that is no stored user: its password under each shared secret. */
    @Override
    public List<String> passwords(String username, long nowMillis) {
        return bySecrets(username, nowMillis, false);
    }

    @Override
    public List<String> expiredPasswords(String username, long nowMillis) {
        return bySecrets(username, nowMillis, true);
    }

    private List<String> bySecrets(String username, long nowMillis, boolean expired) {
        Secrets s = secrets;
        if (s == null || nowMillis - s.readAt() >= usable || md5Key(username).isPresent()) {
            return List.of();
        }
        List<String> passwords = new ArrayList<>(s.stores().size());
        for (SharedSecretCredentials store : s.stores()) {
            (expired ? store.expiredPassword(username, nowMillis) : store.password(username, nowMillis))
                    .ifPresent(passwords::add);
        }
        return passwords;
    }

    /** Look-ups in flight now. */
    public int inFlight() {
        return inFlight.get();
    }

    private boolean usableStale(String username, boolean rest) {
        long now = clock.millis();
        CachedUser user = user(username);
        if (user == null || now - user.readAt() >= usable) {
            return false;
        }
        Secrets s = secrets;
        return user.key() != null || !rest || s != null && now - s.readAt() < usable;
    }

    private CachedUser user(String username) {
        synchronized (users) {
            return users.get(username);
        }
    }

    /** One look-up per {@code what} in flight: a second asker shares the first's; past the bound, a failure at once. */
    private CompletableFuture<Void> once(String what, Supplier<CompletableFuture<Void>> read) {
        CompletableFuture<Void> running = pending.get(what);
        if (running != null) {
            return running;
        }
        if (inFlight.incrementAndGet() > maxLookups) {
            inFlight.decrementAndGet();
            return CompletableFuture.failedFuture(new LookupsFull());
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        running = pending.putIfAbsent(what, mine);
        if (running != null) {
            inFlight.decrementAndGet();
            return running;
        }
        counters.lookup();
        CompletableFuture<Void> sent;
        try {
            sent = read.get();
        } catch (RuntimeException e) {
            // A link that is closing may throw rather than fail: the look-up ends all the same.
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((v, e) -> {
            pending.remove(what, mine);
            inFlight.decrementAndGet();
            if (e == null) {
                mine.complete(null);
            } else {
                mine.completeExceptionally(e);
            }
        });
        return mine;
    }

    private CompletableFuture<Void> readUser(String username) {
        return link.call(c -> c.get(CoturnKeys.userKey(realm, username))).thenAccept(hex -> {
            // A value that is not 32 hex digits is no key this server can use: the user does not exist for it.
            byte[] key = hex != null && HEX_KEY.matcher(hex.strip()).matches() ? HexFormat.of().parseHex(hex.strip()) : null;
            if (hex != null && key == null) {
                LOG.debug("Redis key {} holds no 32-digit hex MD5 key; the user is refused", CoturnKeys.userKey(realm, username));
            }
            synchronized (users) {
                users.put(username, new CachedUser(key, clock.millis()));
            }
        });
    }

    private CompletableFuture<Void> readSecrets() {
        return link.call(c -> c.smembers(CoturnKeys.secrets(realm))).thenAccept((Set<String> members) -> {
            List<SharedSecretCredentials> stores = members.stream().filter(m -> !m.isEmpty())
                    .sorted().map(SharedSecretCredentials::new).toList();
            secrets = new Secrets(stores, clock.millis());
        });
    }

    /** Counts a refusal and says so in one warning line per {@link #WARN_EVERY_MILLIS}, with how many since the last. */
    private void refused(ClusterCounters.Refusal why, Throwable cause) {
        counters.refused(why);
        long n = refusedSinceWarning.incrementAndGet();
        long now = clock.millis();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_MILLIS && lastWarning.compareAndSet(last, now)) {
            refusedSinceWarning.addAndGet(-n);
            Throwable root = cause != null && cause.getCause() != null ? cause.getCause() : cause;
            LOG.warn("Logins refused with 500 (the client retries): {} since the last such line; {}", n,
                    why == ClusterCounters.Refusal.LOOKUPS_FULL
                            ? "over " + maxLookups + " Redis look-ups in flight"
                            : "Redis " + link.config().redisWithoutPassword() + " cannot check them ("
                                    + (root == null ? "unavailable" : root.getMessage())
                                    + ") and the cache has nothing from the last " + usable / 1000 + " s");
        }
    }

    /** The look-up was refused: too many in flight. */
    static final class LookupsFull extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LookupsFull() {
            super("too many Redis look-ups in flight", null, false, false);
        }
    }
}
