package dev.turnlab.server.cluster;

import dev.turnlab.codec.HostPort;
import io.lettuce.core.ScriptOutputType;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cluster's registry of nodes as this node sees it: each heartbeat announces this node's load (one
 * script, one round trip, see {@link ClusterKeys#HEARTBEAT}) and brings back every live node's, kept here
 * until the next one. Between heartbeats, and while Redis is down, the copy ages by the local clock: a node
 * whose announcement has expired is no longer offered, so after a node's time to live without Redis no node
 * is.
 */
public final class NodeRegistry {

    /** The registry as of one heartbeat: the live nodes by name, Redis's time then, and the local time then. */
    private record Copy(List<NodeLoad> nodes, long redisMillis, long receivedNanos) {
        long now() {
            return redisMillis + (System.nanoTime() - receivedNanos) / 1_000_000;
        }
    }

    private final RedisLink link;
    private final Duration ttl;
    private final String instance;
    private final AtomicInteger turn = new AtomicInteger();
    private final LongAdder redirects = new LongAdder();
    private volatile Copy copy = new Copy(List.of(), 0, System.nanoTime());
    private volatile String name;

    /** A registry read and written through {@code link}; this node's announcements live {@code ttl}. */
    NodeRegistry(RedisLink link, Duration ttl, String instance) {
        this.link = link;
        this.ttl = ttl;
        this.instance = instance;
    }

    /** This node's name, null before its first heartbeat. */
    public String name() {
        return name;
    }

    /**
     * Announces {@code self} (its {@code expires} is ignored: Redis's clock sets it); completes with whether
     * Redis knew this node's instance already (false for a first announcement, or after Redis lost it), or
     * fails when Redis cannot be reached in time. The registry's copy is replaced when it completes.
     */
    CompletableFuture<Boolean> heartbeat(NodeLoad self) {
        name = self.name();
        String[] keys = {ClusterKeys.node(self.name()), ClusterKeys.NODES};
        CompletableFuture<List<Object>> reply = ClusterKeys.run(link, ClusterKeys.HEARTBEAT, ScriptOutputType.MULTI,
                keys, self.name(), instance, HostPort.format(self.address()), Integer.toString(self.freePorts()),
                Integer.toString(self.ports()), Integer.toString(self.allocations()), Integer.toString(self.quota()),
                self.draining() ? "1" : "0", Long.toString(ttl.toMillis()));
        return reply.thenApply(r -> {
            copy = new Copy(parse(r), (Long) r.get(0), System.nanoTime());
            return ((Long) r.get(1)) == 1L;
        });
    }

    /** Removes this node from the registry at once (a graceful close); completes when Redis has. */
    CompletableFuture<Long> deregister() {
        String n = name;
        if (n == null) {
            return CompletableFuture.completedFuture(0L);
        }
        return link.call(c -> {
            c.zrem(ClusterKeys.NODES, n);
            return c.del(ClusterKeys.node(n));
        });
    }

    /**
     * Where to send the next new allocation this node cannot take: the least loaded live node other than
     * this one ({@link AlternateChoice}), or null when there is none; counted when there is one.
     */
    public InetSocketAddress alternate() {
        Copy c = copy;
        NodeLoad chosen = AlternateChoice.choose(c.nodes(), name, c.now(), turn.getAndIncrement());
        if (chosen == null) {
            return null;
        }
        redirects.increment();
        return chosen.address();
    }

    /** The nodes whose announcements live now, this one included, by name. */
    public List<NodeLoad> nodes() {
        Copy c = copy;
        long now = c.now();
        return c.nodes().stream().filter(n -> n.liveAt(now)).toList();
    }

    /** New allocations sent to another node of the registry so far. */
    public long redirects() {
        return redirects.sum();
    }

    /** The live nodes of a heartbeat's reply, by name; an entry that cannot be read is left out. */
    static List<NodeLoad> parse(List<Object> reply) {
        List<NodeLoad> nodes = new ArrayList<>();
        for (int i = 2; i < reply.size(); i++) {
            NodeLoad n = node(String.valueOf(reply.get(i)));
            if (n != null) {
                nodes.add(n);
            }
        }
        nodes.sort(Comparator.comparing(NodeLoad::name));
        return List.copyOf(nodes);
    }

    /**
     * A node from its line (name, address, freePorts, ports, allocations, quota, draining, expires), or null
     * when it cannot be read: another version, or a hand edit.
     */
    static NodeLoad node(String line) {
        String[] f = line.split(" ");
        if (f.length != 8) {
            return null;
        }
        try {
            HostPort hp = HostPort.parse(f[1]);
            byte[] ip = NetUtil.createByteArrayFromIpAddressString(hp.host());
            if (ip == null || !hp.hasPort()) {
                return null;
            }
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByAddress(ip), hp.port());
            return new NodeLoad(f[0], address, Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                    Integer.parseInt(f[5]), "1".equals(f[6]), Long.parseLong(f[7]));
        } catch (IllegalArgumentException | UnknownHostException e) {
            return null;
        }
    }
}
