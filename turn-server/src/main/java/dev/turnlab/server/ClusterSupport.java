package dev.turnlab.server;

import dev.turnlab.server.admin.MetricsSnapshot;
import dev.turnlab.server.allocation.AllocationTable;
import dev.turnlab.server.cluster.ClusterNode;
import dev.turnlab.server.cluster.NodeLoad;
import dev.turnlab.server.cluster.RedisLink;
import dev.turnlab.server.handler.ServerContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;

/** Joins a server to its cluster's Redis, or fails the start in one line when Lettuce is not there. */
final class ClusterSupport {

    private static final String LETTUCE_CLIENT = "io.lettuce.core.RedisClient";

    private ClusterSupport() {
    }

    /**
     * A link to the Redis of {@code cluster}, connecting in the background; retries run on {@code scheduler}.
     * Checks first that Lettuce can be loaded, so that its absence fails the start, not a request.
     */
    static RedisLink connect(ClusterConfig cluster, ScheduledExecutorService scheduler) {
        String missing = missingLettuce(ClusterSupport::loadable);
        if (missing != null) {
            throw new IllegalStateException(missing);
        }
        return RedisLink.start(cluster, scheduler);
    }

    /**
     * Joins the node of {@code context} to its cluster's registry once the listeners are bound, with
     * {@code listener} the first of them and {@code scheduler} running the heartbeats; nothing without a cluster.
     */
    static void join(ServerContext context, TurnServerConfig config, InetSocketAddress listener,
            ScheduledExecutorService scheduler) {
        ClusterNode node = context.node();
        if (node == null) {
            return;
        }
        ClusterConfig cluster = config.cluster();
        InetSocketAddress address = nodeAddress(cluster, config.relay().externalAddresses(), listener);
        String name = cluster.nodeName() != null ? cluster.nodeName() : hostName() + "-" + listener.getPort();
        AllocationTable allocations = context.allocations();
        int ports = config.relay().ports().max() - config.relay().ports().min() + 1;
        node.join(name, () -> new NodeLoad(name, address, context.ports().available(), ports, allocations.size(),
                allocations.totalQuota(), context.redirect().draining(), 0), scheduler, allocations::users,
                allocations::count);
    }

    /** Leaves the registry at once, when {@code context} is a cluster node's (null: nothing started). */
    static void leave(ServerContext context) {
        if (context != null && context.node() != null) {
            context.node().close();
        }
    }

    /** The cluster as {@code /metrics} and {@code /status} show it: {@link MetricsSnapshot.Cluster#NONE} on its own. */
    static MetricsSnapshot.Cluster report(ServerContext context) {
        ClusterNode node = context.node();
        if (node == null) {
            return MetricsSnapshot.Cluster.NONE;
        }
        List<MetricsSnapshot.ClusterNode> nodes = node.registry().nodes().stream()
                .map(n -> new MetricsSnapshot.ClusterNode(n.name(), n.address(), n.allocations(), n.quota(), n.freePorts(),
                        n.ports(), n.draining(), n.loadPercent()))
                .toList();
        return new MetricsSnapshot.Cluster(true, node.registry().name(), node.link().isUp(), nodes,
                node.registry().redirects(), node.quota() == null ? 0 : node.quota().fallbacks());
    }

    /**
     * Where clients reach this node: the configured node address, else the first external address with the
     * listening port, else the listening address (a wildcard one is refused by {@link TurnServerConfig}).
     */
    static InetSocketAddress nodeAddress(ClusterConfig cluster, List<InetAddress> external, InetSocketAddress listener) {
        if (cluster.nodeAddress() != null) {
            return cluster.nodeAddress();
        }
        return external.isEmpty() ? listener : new InetSocketAddress(external.get(0), listener.getPort());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "turnlab";
        }
    }

    /** Null when {@code loadable} finds Lettuce's client, else the one line that names the artifact. */
    static String missingLettuce(Predicate<String> loadable) {
        if (loadable.test(LETTUCE_CLIENT)) {
            return null;
        }
        return "redis: a cluster needs io.lettuce:lettuce-core on the class path "
                + "(an optional dependency of turn-server; turn-server-app has it)";
    }

    private static boolean loadable(String className) {
        try {
            Class.forName(className, false, ClusterSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
