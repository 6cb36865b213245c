package dev.turnlab.server;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link TurnServer} joins a cluster of servers that share one Redis: users, shared secrets and peer
 * rules in coturn's Redis layout, per-user quotas counted across nodes, allocation status published as
 * coturn does, and a registry of nodes with their load. Validated when constructed; {@link #toString()}
 * never prints the Redis password.
 *
 * <p>Every Redis command is bounded by {@code commandTimeout}: no request waits on Redis longer than that.
 *
 * @param redis where Redis is: {@code redis://[[user:]password@]host[:port][/database]}, or {@code rediss://}
 *     for TLS
 * @param commandTimeout the longest any request waits on one Redis command; past it the command counts as
 *     failed
 * @param userCacheTtl how long a user read from Redis is used before it is read again, so that a change made
 *     in Redis is seen within this time without a restart
 * @param staleCredentials how long past {@code userCacheTtl} a cached user still logs in while Redis cannot
 *     be reached; past it, a user that cannot be checked is refused
 * @param heartbeatInterval how often this node announces itself and its load in the registry
 * @param nodeTtl how long a node's announcement lives: a node silent for longer is gone from the registry
 * @param nodeName this node's name in the registry, or null for one made of the host name and TURN port
 * @param nodeAddress where clients reach this node, named in ALTERNATE-SERVER by the other nodes; null for the
 *     external (advertised) address or else the listening address, with the UDP/TCP port
 */
public record ClusterConfig(URI redis, Duration commandTimeout, Duration userCacheTtl, Duration staleCredentials,
        Duration heartbeatInterval, Duration nodeTtl, String nodeName, InetSocketAddress nodeAddress) {

    /** The default bound on one Redis command. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(250);
    /** The default time a user read from Redis is trusted without reading it again. */
    public static final Duration DEFAULT_USER_CACHE_TTL = Duration.ofSeconds(10);
    /** The default time a cached user still logs in while Redis is down. */
    public static final Duration DEFAULT_STALE_CREDENTIALS = Duration.ofMinutes(5);
    /** The default heartbeat interval. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
    /** The default lifetime of a node's announcement: three heartbeats. */
    public static final Duration DEFAULT_NODE_TTL = Duration.ofSeconds(6);

    /** Validates every component. */
    public ClusterConfig {
        redis = checkRedis(redis);
        positive("commandTimeout", commandTimeout);
        positive("userCacheTtl", userCacheTtl);
        Objects.requireNonNull(staleCredentials, "staleCredentials");
        if (staleCredentials.isNegative()) {
            throw new IllegalArgumentException("staleCredentials: " + staleCredentials + " (expected: zero or more)");
        }
        positive("heartbeatInterval", heartbeatInterval);
        positive("nodeTtl", nodeTtl);
        if (nodeTtl.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("nodeTtl: " + nodeTtl + " (expected: longer than the heartbeat interval "
                    + heartbeatInterval + ")");
        }
        if (nodeName != null && (nodeName.isBlank() || nodeName.chars().anyMatch(c -> c <= ' ' || c == 0x7f))) {
            throw new IllegalArgumentException("nodeName: '" + nodeName + "' (expected: printable, no spaces)");
        }
        if (nodeAddress != null) {
            AlternateServers.check(nodeAddress, "nodeAddress");
        }
    }

    /** A cluster as above whose node is reached at its external or listening address. */
    public ClusterConfig(URI redis, Duration commandTimeout, Duration userCacheTtl, Duration staleCredentials,
            Duration heartbeatInterval, Duration nodeTtl, String nodeName) {
        this(redis, commandTimeout, userCacheTtl, staleCredentials, heartbeatInterval, nodeTtl, nodeName, null);
    }

    /** This configuration with heartbeats every {@code interval}, announcements living {@code ttl}: for tests. */
    public ClusterConfig withHeartbeat(Duration interval, Duration ttl) {
        return new ClusterConfig(redis, commandTimeout, userCacheTtl, staleCredentials, interval, ttl, nodeName,
                nodeAddress);
    }

    /** This configuration with the node named {@code name}, reached at {@code address} (null: derived). */
    public ClusterConfig withNode(String name, InetSocketAddress address) {
        return new ClusterConfig(redis, commandTimeout, userCacheTtl, staleCredentials, heartbeatInterval, nodeTtl, name,
                address);
    }

    /** A cluster on {@code redis} with every default. */
    public static ClusterConfig of(URI redis) {
        return new ClusterConfig(redis, DEFAULT_COMMAND_TIMEOUT, DEFAULT_USER_CACHE_TTL, DEFAULT_STALE_CREDENTIALS,
                DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_NODE_TTL, null);
    }

    /** A cluster on the Redis at {@code uri} ({@code redis://…} or {@code rediss://…}) with every default. */
    public static ClusterConfig of(String uri) {
        return of(parseRedis(uri));
    }

    /** The Redis URI as text without its password, for logs, banners and {@code /api/config}. */
    public String redisWithoutPassword() {
        String userInfo = redis.getRawUserInfo();
        if (userInfo == null) {
            return redis.toString();
        }
        int colon = userInfo.indexOf(':');
        String masked = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
        return redis.getScheme() + "://" + masked + "@" + redis.getRawAuthority().substring(userInfo.length() + 1)
                + (redis.getRawPath() == null ? "" : redis.getRawPath());
    }

    /** The Redis database number of the URI's path ({@code /2}), 0 without one. */
    public int database() {
        String path = redis.getPath();
        return path == null || path.isEmpty() || path.equals("/") ? 0 : Integer.parseInt(path.substring(1));
    }

    @Override
    public String toString() {
        return "ClusterConfig[redis=" + redisWithoutPassword() + " commandTimeout=" + commandTimeout + " userCacheTtl="
                + userCacheTtl + " staleCredentials=" + staleCredentials + " heartbeatInterval=" + heartbeatInterval
                + " nodeTtl=" + nodeTtl + " nodeName=" + nodeName + " nodeAddress=" + nodeAddress + "]";
    }

    /** Parses a Redis URI, or throws the one-line message (which never repeats a password). */
    public static URI parseRedis(String uri) {
        Objects.requireNonNull(uri, "redis");
        try {
            return checkRedis(new URI(uri));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("redis: not a URI (expected: redis://[password@]host[:port][/database])");
        }
    }

    private static URI checkRedis(URI redis) {
        Objects.requireNonNull(redis, "redis");
        String expected = " (expected: redis://[password@]host[:port][/database] or rediss://…)";
        String scheme = redis.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("redis: scheme " + scheme + expected);
        }
        if (redis.getHost() == null || redis.getHost().isEmpty()) {
            throw new IllegalArgumentException("redis: no host" + expected);
        }
        String path = redis.getPath();
        if (path != null && !path.isEmpty() && !path.equals("/") && !path.matches("/\\d{1,2}")) {
            throw new IllegalArgumentException("redis: database '" + path.substring(1) + "'" + expected);
        }
        if (redis.getRawQuery() != null || redis.getRawFragment() != null) {
            throw new IllegalArgumentException("redis: a query or fragment" + expected);
        }
        return redis;
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: positive)");
        }
    }
}
