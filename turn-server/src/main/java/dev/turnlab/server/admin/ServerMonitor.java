package dev.turnlab.server.admin;

import dev.turnlab.codec.netty.CodecCounters;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.AllocationTable;
import dev.turnlab.server.allocation.ChannelBinding;
import dev.turnlab.server.allocation.Deletion;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.allocation.RelayPortAllocator;
import dev.turnlab.server.allocation.Relay;
import dev.turnlab.server.allocation.Traffic;
import dev.turnlab.server.fault.FaultSwitch;
import dev.turnlab.server.ServerCounters;
import dev.turnlab.server.TurnServerConfig;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Takes {@link MetricsSnapshot}s and {@link StatusSnapshot}s of a running server. Allocations belong to
 * event loops and are read there: one task per loop reads its allocations together with the traffic of
 * the allocations it deleted, so a counter never goes back when an allocation is deleted between two
 * scrapes. The data path is never paused or locked; a scrape costs one task per loop.
 */
public final class ServerMonitor {

    /** How long a snapshot may wait for a busy event loop. */
    private static final long TIMEOUT_SECONDS = 5;

    private final StatusSnapshot.Server server;
    private final EventExecutorGroup loops;
    private final AllocationTable allocations;
    private final ServerCounters counters;
    private final CodecCounters codec;
    private final RelayPortAllocator ports;
    private final Clock clock;
    private final FaultSwitch faults;
    private final DrainSwitch drain;
    private final TlsCertificates tls;
    private final TurnServerConfig config;
    private final BiConsumer<Allocation, Deletion> deleter;
    private final Supplier<MetricsSnapshot.Cluster> cluster;
    private final Instant started;
    private final long startedNanos = System.nanoTime();

    /**
     * A monitor of the server described by {@code server}, whose allocations live on {@code loops}; the
     * server's {@code clock} gives allocation times; {@code faults} are its lab faults and {@code drain} its
     * drain switch, shown and switched here; {@code tls} is its TLS certificate, shown and reloaded here;
     * {@code config} is its configuration and {@code deleter} deletes one of its allocations (on that
     * allocation's event loop) for the admin API; {@code cluster} reports the cluster it is a node of.
     */
    public ServerMonitor(StatusSnapshot.Server server, EventExecutorGroup loops, AllocationTable allocations,
            ServerCounters counters, CodecCounters codec, RelayPortAllocator ports, Clock clock, FaultSwitch faults,
            DrainSwitch drain, TlsCertificates tls, TurnServerConfig config, BiConsumer<Allocation, Deletion> deleter,
            Supplier<MetricsSnapshot.Cluster> cluster) {
        this.server = server;
        this.loops = loops;
        this.allocations = allocations;
        this.counters = counters;
        this.codec = codec;
        this.ports = ports;
        this.clock = clock;
        this.faults = faults;
        this.drain = drain;
        this.tls = tls;
        this.config = config;
        this.deleter = deleter;
        this.cluster = cluster;
        this.started = clock.instant();
    }

    /** The server's lab faults. */
    public FaultSwitch faults() {
        return faults;
    }

    /** The server's drain switch. */
    public DrainSwitch drain() {
        return drain;
    }

    /** The server's TLS certificate. */
    public TlsCertificates tls() {
        return tls;
    }

    /** The server's configuration. */
    public TurnServerConfig config() {
        return config;
    }

    /**
     * Ends the allocation whose {@link Allocation#id()} is {@code id}, as coturn's CLI {@code cs} does: it is
     * deleted for {@link Deletion#ADMIN} on its own event loop (its relay port freed, counted and logged like
     * any deletion) and a TCP or TLS client's connection is closed. Completes with the allocation as it was
     * just before, or null when there is no such allocation (or it ended meanwhile).
     */
    public CompletableFuture<StatusSnapshot.AllocationStatus> end(String id) {
        Allocation found = null;
        for (Allocation a : allocations.all()) {
            if (a.id().equals(id) && !a.isDeleted()) {
                found = a;
                break;
            }
        }
        if (found == null) {
            return CompletableFuture.completedFuture(null);
        }
        Allocation a = found;
        CompletableFuture<StatusSnapshot.AllocationStatus> ended = new CompletableFuture<>();
        try {
            a.client().eventLoop().execute(() -> {
                if (a.isDeleted()) {
                    ended.complete(null);
                    return;
                }
                long now = clock.millis();
                StatusSnapshot.AllocationStatus was = status(a, traffic(a.traffic()), overRate(a.traffic()), now);
                deleter.accept(a, Deletion.ADMIN);
                a.client().close();
                ended.complete(was);
            });
        } catch (RejectedExecutionException e) {
            ended.completeExceptionally(new IllegalStateException("server stopped", e));
        }
        return ended.orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** turnlab's version, from the build. */
    public static String version() {
        try (InputStream in = ServerMonitor.class.getResourceAsStream("build.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's identity and listeners. */
    public StatusSnapshot.Server server() {
        return server;
    }

    /** The metrics, once every event loop has reported (at most a few seconds). */
    public CompletableFuture<MetricsSnapshot> metrics() {
        Map<String, Long> deleted = counters.deletionCounts();
        return gather(false).thenApply(reports -> metrics(reports, deleted));
    }

    /** The status with every allocation, once every event loop has reported. */
    public CompletableFuture<StatusSnapshot> status() {
        Map<String, Long> deleted = counters.deletionCounts();
        return gather(true).thenApply(reports -> {
            List<StatusSnapshot.AllocationStatus> all = new ArrayList<>();
            reports.forEach(r -> all.addAll(r.list));
            all.sort(Comparator.comparing(StatusSnapshot.AllocationStatus::created));
            return new StatusSnapshot(server, clock.instant(), metrics(reports, deleted), all);
        });
    }

    /** What one event loop holds: read on that loop only. */
    private static final class LoopReport {
        int allocations;
        int permissions;
        int channels;
        MetricsSnapshot.Traffic traffic = MetricsSnapshot.Traffic.NONE;
        MetricsSnapshot.Traffic overRate = MetricsSnapshot.Traffic.NONE;
        long peerDrops;
        final List<StatusSnapshot.AllocationStatus> list = new ArrayList<>();
    }

    private CompletableFuture<List<LoopReport>> gather(boolean withAllocations) {
        List<CompletableFuture<LoopReport>> parts = new ArrayList<>();
        for (EventExecutor loop : loops) {
            if (loop.inEventLoop()) {
                // Called from one of the server's own loops (an embedder's callback): read it directly.
                parts.add(CompletableFuture.completedFuture(report(loop, withAllocations)));
                continue;
            }
            CompletableFuture<LoopReport> part = new CompletableFuture<>();
            try {
                loop.execute(() -> {
                    try {
                        part.complete(report(loop, withAllocations));
                    } catch (RuntimeException e) {
                        part.completeExceptionally(e);
                    }
                });
            } catch (RejectedExecutionException e) {
                part.completeExceptionally(new IllegalStateException("server stopped", e));
            }
            parts.add(part.orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> parts.stream().map(CompletableFuture::join).toList());
    }

    private LoopReport report(EventExecutor loop, boolean withAllocations) {
        LoopReport r = new LoopReport();
        long now = clock.millis();
        for (Allocation a : allocations.all()) {
            if (a.client().eventLoop() != loop || a.isDeleted()) {
                continue;
            }
            r.allocations++;
            r.permissions += a.permissionCount(now);
            r.channels += a.channels(now).size();
            MetricsSnapshot.Traffic t = traffic(a.traffic());
            MetricsSnapshot.Traffic dropped = overRate(a.traffic());
            r.traffic = r.traffic.plus(t);
            r.overRate = r.overRate.plus(dropped);
            r.peerDrops += ServerCounters.relayDrops(a);
            if (withAllocations) {
                r.list.add(status(a, t, dropped, now));
            }
        }
        ServerCounters.Retired retired = counters.retired(loop);
        if (retired != null) {
            r.traffic = r.traffic.plus(traffic(retired.traffic()));
            r.overRate = r.overRate.plus(overRate(retired.traffic()));
            r.peerDrops += retired.peerDrops();
        }
        return r;
    }

    private static MetricsSnapshot.Traffic traffic(Traffic t) {
        return new MetricsSnapshot.Traffic(t.packetsToPeer(), t.bytesToPeer(), t.packetsToClient(), t.bytesToClient());
    }

    private static MetricsSnapshot.Traffic overRate(Traffic t) {
        return new MetricsSnapshot.Traffic(t.overRatePacketsToPeer(), t.overRateBytesToPeer(), t.overRatePacketsToClient(),
                t.overRateBytesToClient());
    }

    private static StatusSnapshot.AllocationStatus status(Allocation a, MetricsSnapshot.Traffic traffic,
            MetricsSnapshot.Traffic overRate, long now) {
        FiveTuple t = a.fiveTuple();
        List<StatusSnapshot.Channel> channels = new ArrayList<>();
        for (ChannelBinding b : a.channels(now)) {
            channels.add(new StatusSnapshot.Channel(b.number(), b.peer(), Instant.ofEpochMilli(b.expiresAt())));
        }
        channels.sort(Comparator.comparingInt(StatusSnapshot.Channel::number));
        return new StatusSnapshot.AllocationStatus(a.id(), a.username(), t.transport().name().toLowerCase(Locale.ROOT),
                t.client(), t.server(), a.relays().stream().map(Relay::relayedAddress).toList(),
                Instant.ofEpochMilli(a.createdAt()), Instant.ofEpochMilli(a.expiresAt()), a.permissions(now),
                channels, traffic, a.maxBps(), overRate);
    }

    /**
     * The snapshot of what the loops reported; {@code deleted} was read before they were asked. An allocation
     * is marked deleted before it is counted, on its own loop, so one counted in {@code deleted} is no longer
     * counted active by its loop's report: no scrape sees it both deleted and active.
     */
    private MetricsSnapshot metrics(List<LoopReport> reports, Map<String, Long> deleted) {
        int active = 0;
        int permissions = 0;
        int channels = 0;
        long peerDrops = 0;
        MetricsSnapshot.Traffic traffic = MetricsSnapshot.Traffic.NONE;
        MetricsSnapshot.Traffic overRate = MetricsSnapshot.Traffic.NONE;
        for (LoopReport r : reports) {
            overRate = overRate.plus(r.overRate);
            active += r.allocations;
            permissions += r.permissions;
            channels += r.channels;
            peerDrops += r.peerDrops;
            traffic = traffic.plus(r.traffic);
        }
        // A TCP relay's bytes (RFC 6062) are counted server-wide: its sockets may run on another loop than its allocation's.
        traffic = traffic.plus(counters.tcpRelayed());
        Map<String, Long> dropped = new LinkedHashMap<>();
        dropped.put("malformed", counters.malformedCount());
        dropped.put("unknown_protocol", counters.unknownPacketCount());
        dropped.put("channel_unbound", counters.droppedChannelDataCount());
        dropped.put("indication_refused", counters.droppedIndicationCount());
        dropped.put("no_permission", peerDrops);
        dropped.put("own_socket", counters.selfRelayRefusedCount());
        dropped.put("client_not_reading", counters.droppedToClientCount());
        dropped.put("relay_full", counters.droppedToPeerCount());
        dropped.put("over_max_bps", overRate.packetsToPeer() + overRate.packetsToClient());
        Map<String, Long> decoder = new LinkedHashMap<>();
        decoder.put("stun", codec.decodedStun());
        decoder.put("channel_data", codec.decodedChannelData());
        decoder.put("malformed_answered", codec.malformedStun());
        decoder.put("malformed_dropped", codec.droppedMalformed());
        int free = ports.available();
        int size = server.relayPortMax() - server.relayPortMin() + 1;
        return new MetricsSnapshot(server.version(), started, Duration.ofNanos(System.nanoTime() - startedNanos),
                active, counters.allocationsCreatedCount(), deleted, permissions, channels,
                traffic, counters.requestCounts(), counters.challengeCount(), counters.authFailureCounts(),
                counters.errorResponseCounts(), dropped, Math.max(0, size - free), free, decoder,
                counters.relayToRelayPermissionCount(),
                new MetricsSnapshot.Connections(counters.openConnectionCount(), counters.connectionRefusalCounts(),
                        counters.connectionTimeoutCounts()), faults.report(), drain.report(),
                new MetricsSnapshot.Bandwidth(allocations.maxBps(), allocations.bpsCapacity(), allocations.reservedBps(),
                        counters.bandwidthRefusedCount(), overRate),
                new MetricsSnapshot.TcpRelays(counters.tcpConnectionsActiveCount(), counters.tcpConnectionsOpenedCount(),
                        counters.tcpRelayFailureCounts()),
                tls.report(), allocations.peak(),
                new MetricsSnapshot.Latency(counters.allocationSetup().snapshot(), counters.relayLatency().snapshot()),
                RuntimeFigures.read(), new MetricsSnapshot.RedisUse(counters.cluster().lookups(),
                        counters.cluster().staleLogins(), counters.cluster().refusals(),
                        counters.cluster().eventsPublished(), counters.cluster().eventsFailed()), cluster.get());
    }
}
