package dev.turnlab.server.cli;

import dev.turnlab.server.ClusterConfig;
import dev.turnlab.server.TurnServerBuilder;
import dev.turnlab.cli.HostPortConverter;
import java.net.InetSocketAddress;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The cluster: servers that share one Redis for their users (in coturn's layout), per-user quotas, allocation
 * status and a registry of nodes with their load.
 */
final class ClusterOptions {

    @Option(names = "--redis", paramLabel = "URI",
            description = "Join the cluster on this Redis: redis://[[user:]password@]host[:port][/database] "
                    + "(rediss:// for TLS); users, shared secrets and peer rules are read from it in coturn's layout.")
    String redis;

    @Option(names = "--redis-timeout", paramLabel = "MILLIS",
            description = "The longest a request waits on one Redis command (default 250).")
    Integer redisTimeout;

    @Option(names = "--node-name", paramLabel = "NAME",
            description = "This node's name in the cluster's registry (default: host name and TURN port).")
    String nodeName;

    @Option(names = "--node-address", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "Where clients reach this node, named in 300 Try Alternate by the other nodes (default: the "
                    + "external IP, else the listening address, with the port; needed with a wildcard listening address).")
    InetSocketAddress nodeAddress;

    /** Whether a cluster was asked for. */
    boolean enabled() {
        return redis != null;
    }

    /** Sets the cluster on {@code b} when {@code --redis} was given; the other options need it. */
    void applyTo(TurnServerBuilder b) {
        if (redis == null) {
            if (redisTimeout != null || nodeName != null || nodeAddress != null) {
                throw new IllegalArgumentException((redisTimeout != null ? "redis-timeout"
                        : nodeName != null ? "node-name" : "node-address")
                        + ": needs --redis (expected: --redis redis://HOST:PORT)");
            }
            return;
        }
        ClusterConfig defaults = ClusterConfig.of(redis);
        Duration timeout = defaults.commandTimeout();
        if (redisTimeout != null) {
            if (redisTimeout < 1 || redisTimeout > 60_000) {
                throw new IllegalArgumentException("redis-timeout: " + redisTimeout + " (expected: 1-60000 ms)");
            }
            timeout = Duration.ofMillis(redisTimeout);
        }
        b.cluster(new ClusterConfig(defaults.redis(), timeout, defaults.userCacheTtl(), defaults.staleCredentials(),
                defaults.heartbeatInterval(), defaults.nodeTtl(), nodeName, nodeAddress));
    }
}
