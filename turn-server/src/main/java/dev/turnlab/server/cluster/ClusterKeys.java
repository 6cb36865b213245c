package dev.turnlab.server.cluster;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's own Redis keys and the Lua scripts that change them, each in one round trip. Every key
 * starts with {@code turnlab/}, so none collides with coturn's {@code turn/} keys in the same database:
 * <ul>
 *   <li>{@code turnlab/node/<name>}: a hash per node (instance, address, freePorts, ports, allocations,
 *       quota, draining, updated, expires), expiring with the node's announcement;</li>
 *   <li>{@code turnlab/nodes}: a sorted set of node names scored by when their announcement expires, the
 *       index that a heartbeat reads the registry through;</li>
 *   <li>{@code turnlab/realm/<realm>/user/<name>/allocations}: a hash per user, a field
 *       {@code "<node> <instance>"} per node with the user's allocations there.</li>
 * </ul>
 * A count counts only while its node's hash names the same instance: a node that stopped (or restarted)
 * stops counting when its announcement expires (or at once). A restarted node's fields are deleted when next
 * seen; those of a node that never comes back go with the user's hash, which expires
 * {@link #USER_TTL} after its last change.
 */
final class ClusterKeys {

    /** The index of live nodes. */
    static final String NODES = "turnlab/nodes";
    /** The prefix of each node's hash. */
    static final String NODE = "turnlab/node/";
    /**
     * How long a user's hash outlives its last change: longer than any allocation is expected to live without
     * its user allocating anew, so that a dead node's fields do not pile up.
     */
    static final Duration USER_TTL = Duration.ofDays(7);

    /**
     * A heartbeat. KEYS: the node's hash, the index. ARGV: name, instance, address, freePorts, ports,
     * allocations, quota, draining (0/1), time to live in ms. Writes the hash with its expiry, scores the
     * node in the index, drops expired names from it, and returns Redis's time in ms, 1 if the hash named
     * this instance before (0: new, or lost, so that the node writes its user counts again), then a line per
     * live node: its name, address, freePorts, ports, allocations, quota, draining and expires, separated by
     * spaces (one string per node rather than a hash: the reply is read by every node every heartbeat).
     */
    static final String HEARTBEAT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local expires = now + tonumber(ARGV[9])
            local known = redis.call('HGET', KEYS[1], 'instance') == ARGV[2] and 1 or 0
            redis.call('HSET', KEYS[1], 'instance', ARGV[2], 'address', ARGV[3], 'freePorts', ARGV[4],
                'ports', ARGV[5], 'allocations', ARGV[6], 'quota', ARGV[7], 'draining', ARGV[8],
                'updated', now, 'expires', expires)
            redis.call('PEXPIRE', KEYS[1], ARGV[9])
            redis.call('ZADD', KEYS[2], expires, ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
            local out = {now, known}
            for _, name in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
              local f = redis.call('HMGET', '%s' .. name, 'address', 'freePorts', 'ports', 'allocations', 'quota',
                  'draining', 'expires')
              if f[1] and f[2] and f[3] and f[4] and f[5] and f[6] and f[7] then
                out[#out + 1] = name .. ' ' .. table.concat(f, ' ')
              end
            end
            return out
            """.formatted(NODE);

    /**
     * An admission against a user quota. KEYS: the user's hash. ARGV: this node's field, the quota, the
     * user's allocations on this node with the new one, the hash's time to live in ms. Sums the fields of
     * the other live nodes: a node without an announcement is skipped (it may be late, and counts again when
     * it announces itself), one announced with another instance has restarted and its field is deleted.
     * Within the quota, sets this node's field and returns the user's allocations in the cluster, else sets
     * it without the new one and returns -1.
     */
    static final String ADMIT = """
            local fields = redis.call('HGETALL', KEYS[1])
            local others = 0
            for i = 1, #fields, 2 do
              local field = fields[i]
              if field ~= ARGV[1] then
                local space = string.find(field, ' ', 1, true)
                local running = space and redis.call('HGET', '%s' .. string.sub(field, 1, space - 1), 'instance')
                if running and running == string.sub(field, space + 1) then
                  others = others + tonumber(fields[i + 1])
                elseif running or not space then
                  redis.call('HDEL', KEYS[1], field)
                end
              end
            end
            local own = tonumber(ARGV[3])
            local admitted = others + own <= tonumber(ARGV[2])
            if not admitted then
              own = own - 1
            end
            if own > 0 then
              redis.call('HSET', KEYS[1], ARGV[1], own)
            else
              redis.call('HDEL', KEYS[1], ARGV[1])
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            if admitted then
              return others + own
            end
            return -1
            """.formatted(NODE);

    private ClusterKeys() {
    }

    /**
     * Runs {@code script} by its SHA-1 (EVALSHA: the script's text is not sent each time), loading it with
     * EVAL when Redis does not know it (a first call, or a Redis restarted since).
     */
    static <T> CompletableFuture<T> run(RedisLink link, String script, ScriptOutputType type, String[] keys,
            String... args) {
        String sha = SHA1.computeIfAbsent(script, ClusterKeys::sha1);
        CompletableFuture<T> bySha = link.call(c -> c.evalsha(sha, type, keys, args));
        return bySha.exceptionallyCompose(e -> e instanceof RedisNoScriptException
                || e.getCause() instanceof RedisNoScriptException
                ? link.call(c -> c.eval(script, type, keys, args)) : CompletableFuture.failedFuture(e));
    }

    private static final Map<String, String> SHA1 = new ConcurrentHashMap<>();

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required JCA algorithm", e);
        }
    }

    /** The hash of the node {@code name}. */
    static String node(String name) {
        return NODE + name;
    }

    /** The hash of the allocations of {@code user} in {@code realm}, by node. */
    static String userAllocations(String realm, String user) {
        return "turnlab/realm/" + realm + "/user/" + user + "/allocations";
    }
}
