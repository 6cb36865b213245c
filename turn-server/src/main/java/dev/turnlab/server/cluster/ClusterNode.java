package dev.turnlab.server.cluster;

import dev.turnlab.codec.HostPort;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as a node of the cluster: its {@link NodeRegistry} (the heartbeat that announces its load and
 * reads the others') and, with a per-user quota, its {@link ClusterQuota}. Made with the server's state and
 * {@link #join joined} once its listeners are bound, when its name and address are known.
 */
public final class ClusterNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    private final RedisLink link;
    private final NodeRegistry registry;
    private final ClusterQuota quota;
    private final AtomicBoolean beating = new AtomicBoolean();
    private volatile ScheduledFuture<?> heartbeats;
    private volatile boolean reportedDown;
    private volatile boolean answered;
    private volatile boolean knownBefore; // the last heartbeat found this node's own entry
    private boolean left; // guarded by this: no heartbeat is sent after the node left

    /**
     * A node on {@code link}; with {@code userQuota} above 0, users of {@code realm} are held to it over the
     * cluster. Each start is a new instance: counts of an earlier run of the same node stop counting.
     */
    public ClusterNode(RedisLink link, String realm, int userQuota) {
        this.link = link;
        byte[] id = new byte[8];
        new SecureRandom().nextBytes(id);
        String instance = HexFormat.of().formatHex(id);
        this.registry = new NodeRegistry(link, link.config().nodeTtl(), instance);
        this.quota = userQuota > 0 ? new ClusterQuota(link, realm, userQuota, instance) : null;
    }

    /** The registry of nodes. */
    public NodeRegistry registry() {
        return registry;
    }

    /** The per-user quota over the cluster, or null when there is no user quota. */
    public ClusterQuota quota() {
        return quota;
    }

    /** The link to Redis. */
    public RedisLink link() {
        return link;
    }

    /**
     * Joins the registry as {@code name} and announces {@code self.get()} every heartbeat interval on
     * {@code scheduler}; {@code users} and {@code local} give the users with allocations here and their
     * counts, written again when Redis lost this node's entry.
     */
    public void join(String name, Supplier<NodeLoad> self, ScheduledExecutorService scheduler,
            Supplier<Collection<String>> users, ToIntFunction<String> local) {
        if (quota != null) {
            quota.joined(name);
        }
        long every = link.config().heartbeatInterval().toMillis();
        heartbeats = scheduler.scheduleAtFixedRate(RedisLink.surviving("cluster heartbeat",
                () -> beat(self.get(), users, local)), 0, every, TimeUnit.MILLISECONDS);
        LOG.info("cluster node {} announces {} every {} ms on {}", name, HostPort.format(self.get().address()), every,
                link.config().redisWithoutPassword());
    }

    /** One heartbeat, unless the last one is still waiting on Redis. */
    private void beat(NodeLoad self, Supplier<Collection<String>> users, ToIntFunction<String> local) {
        if (!beating.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<Boolean> sent;
        synchronized (this) {
            if (left) {
                return;
            }
            try {
                sent = registry.heartbeat(self); // sent, not awaited: the lock orders it before a leave's removal
            } catch (RuntimeException e) {
                beating.set(false); // the next heartbeat tries again
                throw e;
            }
        }
        sent.whenComplete((known, e) -> {
            beating.set(false);
            if (e != null) {
                // Before the first answer the link's own line says Redis cannot be reached yet.
                if (!reportedDown && answered) {
                    reportedDown = true;
                    LOG.warn("cluster node {}: heartbeat failed ({}); the registry is aged locally until Redis answers",
                            self.name(), e.toString());
                }
                return;
            }
            answered = true;
            if (reportedDown) {
                reportedDown = false;
                LOG.info("cluster node {}: heartbeats answered again, {} live node(s)", self.name(),
                        registry.nodes().size());
            }
            if (!known && knownBefore) {
                // Redis lost the entry (a restart without its data, an eviction), or a second node runs under this
                // node's name and replaced it: said once, since either keeps repeating.
                LOG.warn("cluster node {}: the registry no longer held this node's entry; it is written again with "
                        + "this node's counts (another node with the same --node-name would cause this at every "
                        + "heartbeat)", self.name());
            }
            knownBefore = known;
            if (quota != null) {
                quota.resync(!known, known ? List.of() : users.get(), local);
            }
        });
    }

    /** Leaves the registry at once: stops the heartbeats and removes this node's entry, waiting at most a second. */
    @Override
    public void close() {
        ScheduledFuture<?> h = heartbeats;
        if (h == null) {
            return;
        }
        h.cancel(false);
        CompletableFuture<Long> removed;
        synchronized (this) {
            left = true;
            removed = registry.deregister();
        }
        try {
            removed.get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("cluster node {}: not removed from the registry ({}); it expires there", registry.name(), e.toString());
        }
    }
}
