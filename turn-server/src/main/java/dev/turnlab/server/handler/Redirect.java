package dev.turnlab.server.handler;

import dev.turnlab.codec.attribute.AlternateServer;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.server.AlternateServers;
import dev.turnlab.server.admin.DrainSwitch;
import dev.turnlab.server.admin.MetricsSnapshot;
import dev.turnlab.server.cluster.NodeRegistry;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where new allocations go when this server takes none (RFC 8489 §10, RFC 8656 §7.2): 300 Try Alternate
 * with ALTERNATE-SERVER naming the least loaded live node of the cluster's registry when there is one, else
 * the configured alternates in turn (round robin), sent only to authenticated
 * Allocate requests and so protected by MESSAGE-INTEGRITY, as §10 asks. Holds the drain switch too: while
 * draining, every new Allocate is refused this way (or with 508 when there is no alternate), and the
 * allocations that exist live on.
 */
public final class Redirect implements DrainSwitch {

    /** Why an Allocate was sent elsewhere, the {@code reason} label of the redirect counter. */
    public enum Reason {
        /** The total quota is reached or no relay port is free. */
        FULL,
        /** The server is draining. */
        DRAINING;

        /** The metric label. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Redirect.class);

    private final List<InetSocketAddress> alternates;
    private final NodeRegistry registry;
    private final AtomicInteger next = new AtomicInteger();
    private final LongAdder[] redirects = {new LongAdder(), new LongAdder()};
    private volatile boolean draining;

    /** A redirect to {@code alternates}, not draining. */
    public Redirect(AlternateServers alternates) {
        this(alternates, null);
    }

    /** A redirect to the nodes of {@code registry} (null: no cluster), then to {@code alternates}; not draining. */
    public Redirect(AlternateServers alternates, NodeRegistry registry) {
        this.alternates = alternates.addresses();
        this.registry = registry;
    }

    /** Whether new allocations are refused. */
    public boolean draining() {
        return draining;
    }

    /**
     * Starts ({@code on}) or ends draining; logs one line when that changes it. Returns whether it changed.
     */
    @Override
    public synchronized boolean drain(boolean on) {
        if (draining == on) {
            return false;
        }
        draining = on;
        if (on) {
            LOG.info("draining started: new allocations are {}, existing ones live on",
                    registry != null ? "redirected to the least loaded node of the cluster (300 Try Alternate)"
                            + (alternates.isEmpty() ? ", else refused with 508" : ", else to " + alternates)
                            : alternates.isEmpty() ? "refused with 508" : "redirected to " + alternates + " (300 Try Alternate)");
        } else {
            LOG.info("draining ended: new allocations are accepted again");
        }
        return true;
    }

    /** How many Allocate requests were redirected for {@code reason}. */
    public long redirects(Reason reason) {
        return redirects[reason.ordinal()].sum();
    }

    @Override
    public MetricsSnapshot.Drain report() {
        java.util.Map<String, Long> byReason = new java.util.LinkedHashMap<>();
        for (Reason r : Reason.values()) {
            byReason.put(r.label(), redirects(r));
        }
        return new MetricsSnapshot.Drain(draining, byReason);
    }

    /**
     * Refuses an Allocate this server cannot take ({@code reason}): 300 Try Alternate (RFC 8489 §10) with the
     * least loaded live node of the cluster, else the next configured alternate, or 508 Insufficient Capacity
     * when there is neither.
     */
    void refuse(Reply reply, Reason reason) {
        InetSocketAddress alternate = registry == null ? null : registry.alternate();
        if (alternate == null && alternates.isEmpty()) {
            reply.error(ErrorCode.INSUFFICIENT_CAPACITY);
            return;
        }
        if (alternate == null) {
            alternate = alternates.get(Math.floorMod(next.getAndIncrement(), alternates.size()));
        }
        redirects[reason.ordinal()].increment();
        reply.error(ErrorCode.TRY_ALTERNATE, List.of(new AlternateServer(alternate)));
    }
}
