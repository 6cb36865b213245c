package dev.turnlab.server.admin;

import dev.turnlab.server.fault.Fault;
import dev.turnlab.server.ServerCounters;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Writes a {@link MetricsSnapshot} in the Prometheus text exposition format 0.0.4: every family has
 * {@code # HELP} and {@code # TYPE}, names start with {@code turnlab_}, counters end in {@code _total}.
 * Labels take a few fixed values only (method, code, reason, direction): never a user or an address.
 * The process and JVM families keep the names of Prometheus's Java client ({@code process_*},
 * {@code jvm_*}), so that dashboards made for it work unchanged.
 */
public final class PrometheusText {

    /** The Content-Type of this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(4096);

    private PrometheusText() {
    }

    /** The exposition of {@code m}. */
    public static String format(MetricsSnapshot m) {
        PrometheusText p = new PrometheusText();
        p.family("turnlab_build_info", "gauge", "turnlab's version and the Java runtime, as labels; always 1.");
        p.sample("turnlab_build_info", "version", m.version(), "java", Runtime.version().toString(), 1);
        p.family("turnlab_start_time_seconds", "gauge", "When the server started, in seconds since the epoch.");
        p.seconds("turnlab_start_time_seconds", m.started().toEpochMilli());
        p.family("turnlab_uptime_seconds", "gauge", "How long the server has been running.");
        p.seconds("turnlab_uptime_seconds", m.uptime().toMillis());

        p.family("turnlab_requests_total", "counter", "STUN/TURN requests received, by method.");
        p.labelled("turnlab_requests_total", "method", m.requests());
        p.single("turnlab_auth_challenges_total", "counter",
                "401 challenges to requests without credentials (RFC 8489 9.2.4), the first step of every login.",
                m.authChallenges());
        p.family("turnlab_auth_failures_total", "counter", "Requests whose credentials were refused, by reason.");
        p.labelled("turnlab_auth_failures_total", "reason", m.authFailures());
        p.family("turnlab_request_rejections_total", "counter",
                "Error responses sent, by request method and STUN error code (challenges excepted).");
        for (Map.Entry<ServerCounters.ErrorResponse, Long> e : m.errorResponses().entrySet()) {
            p.sample("turnlab_request_rejections_total", "method", e.getKey().method(), "code",
                    Integer.toString(e.getKey().code()), e.getValue());
        }
        p.family("turnlab_allocation_failures_total", "counter",
                "Allocate requests refused, by STUN error code (challenges excepted).");
        m.allocationFailures().forEach((code, n) ->
                p.sample("turnlab_allocation_failures_total", "code", Integer.toString(code), n));

        p.single("turnlab_allocations_active", "gauge", "Allocations that exist now.", m.allocationsActive());
        p.single("turnlab_allocations_peak", "gauge", "The most allocations that existed at once since the server started.",
                m.allocationsPeak());
        p.single("turnlab_allocations_created_total", "counter", "Allocations created.", m.allocationsCreated());
        p.histogram("turnlab_allocation_setup_seconds",
                "Time from an authenticated Allocate request's arrival to its success response (the 401 round excepted).",
                m.latency().allocationSetup());
        p.family("turnlab_allocations_deleted_total", "counter",
                "Allocations deleted, by reason (expired, refresh with lifetime 0, TCP connection closed, server closed, "
                        + "ended through the admin API).");
        p.labelled("turnlab_allocations_deleted_total", "reason", m.allocationsDeleted());
        p.single("turnlab_permissions_active", "gauge", "Unexpired permissions over all allocations.",
                m.permissionsActive());
        p.single("turnlab_channels_active", "gauge", "Unexpired channel bindings over all allocations.",
                m.channelsActive());

        MetricsSnapshot.Traffic t = m.relayed();
        p.family("turnlab_relayed_packets_total", "counter", "Datagrams relayed, by direction.");
        p.sample("turnlab_relayed_packets_total", "direction", "client_to_peer", t.packetsToPeer());
        p.sample("turnlab_relayed_packets_total", "direction", "peer_to_client", t.packetsToClient());
        p.family("turnlab_relayed_bytes_total", "counter", "Payload bytes relayed, by direction.");
        p.sample("turnlab_relayed_bytes_total", "direction", "client_to_peer", t.bytesToPeer());
        p.sample("turnlab_relayed_bytes_total", "direction", "peer_to_client", t.bytesToClient());
        p.histogram("turnlab_relay_latency_seconds",
                "Time a relayed datagram spends in the server, from its arrival to the flush that hands it to the kernel;"
                        + " ChannelData client to peer and peer datagrams to the client, one datagram in 64 sampled.",
                m.latency().relay());
        p.family("turnlab_dropped_packets_total", "counter", "Packets neither answered nor relayed, by reason.");
        p.labelled("turnlab_dropped_packets_total", "reason", m.dropped());
        p.single("turnlab_relay_to_relay_permissions_total", "counter",
                "Permissions and channel bindings installed or refreshed toward a live relay of this server (relay to relay).",
                m.relayToRelayPermissions());

        MetricsSnapshot.Bandwidth b = m.bandwidth();
        p.single("turnlab_bandwidth_max_bytes_per_second", "gauge",
                "Each allocation's bandwidth limit each way (max-bps), bytes per second; 0 for none.", b.maxBps());
        p.single("turnlab_bandwidth_capacity_bytes_per_second", "gauge",
                "The server's bandwidth budget (bps-capacity), bytes per second; 0 for none.", b.capacity());
        p.single("turnlab_bandwidth_reserved_bytes_per_second", "gauge",
                "Bandwidth the allocations reserve out of the budget, bytes per second.", b.reserved());
        p.single("turnlab_bandwidth_refused_allocations_total", "counter",
                "Allocate requests that did not fit the bandwidth budget (508, or 300 to an alternate).",
                b.refusedAllocations());
        p.family("turnlab_bandwidth_dropped_packets_total", "counter",
                "Datagrams dropped over an allocation's bandwidth limit, by direction.");
        p.sample("turnlab_bandwidth_dropped_packets_total", "direction", "client_to_peer", b.dropped().packetsToPeer());
        p.sample("turnlab_bandwidth_dropped_packets_total", "direction", "peer_to_client", b.dropped().packetsToClient());
        p.family("turnlab_bandwidth_dropped_bytes_total", "counter",
                "Payload bytes dropped over an allocation's bandwidth limit, by direction.");
        p.sample("turnlab_bandwidth_dropped_bytes_total", "direction", "client_to_peer", b.dropped().bytesToPeer());
        p.sample("turnlab_bandwidth_dropped_bytes_total", "direction", "peer_to_client", b.dropped().bytesToClient());

        p.single("turnlab_relay_ports_in_use", "gauge", "Relay ports taken by allocations and reservations.",
                m.relayPortsInUse());
        p.single("turnlab_relay_ports_free", "gauge", "Relay ports free for new allocations.", m.relayPortsFree());
        p.family("turnlab_stream_decoder_messages_total", "counter",
                "What the TCP/TLS stream decoders read, by kind (malformed ones answered with 400 or dropped).");
        p.labelled("turnlab_stream_decoder_messages_total", "kind", m.codec());
        p.single("turnlab_stream_connections_open", "gauge", "TCP and TLS client connections open now.",
                m.connections().open());
        p.family("turnlab_stream_connections_refused_total", "counter",
                "TCP/TLS connections reset on accept, by the limit they were past (per source address, total).");
        p.labelled("turnlab_stream_connections_refused_total", "reason", m.connections().refused());
        p.family("turnlab_stream_connections_timed_out_total", "counter",
                "TCP/TLS connections without an allocation closed by the server, by reason (no first request in time,"
                        + " a frame left incomplete, no allocation in time, idle).");
        p.labelled("turnlab_stream_connections_timed_out_total", "reason", m.connections().timedOut());

        p.single("turnlab_tcp_relay_connections_active", "gauge",
                "Peer data connections of TCP relays (RFC 6062) open now.", m.tcpRelays().active());
        p.single("turnlab_tcp_relay_connections_opened_total", "counter",
                "Peer data connections of TCP relays established (Connect, or a peer connecting to a relay).",
                m.tcpRelays().opened());
        p.family("turnlab_tcp_relay_failures_total", "counter",
                "TCP relay failures, by reason (Connect failed, ConnectionBind for an unknown id, no ConnectionBind in"
                        + " time, a peer's connection refused, a connection reset).");
        p.labelled("turnlab_tcp_relay_failures_total", "reason", m.tcpRelays().failures());

        p.single("turnlab_cluster_user_lookups_total", "counter",
                "Users and shared secrets looked up in the cluster's Redis (cache misses and expiries).", m.redis().lookups());
        p.single("turnlab_cluster_stale_logins_total", "counter",
                "Logins checked against cached credentials past their time to live while Redis was unavailable.",
                m.redis().staleLogins());
        p.family("turnlab_cluster_logins_refused_total", "counter",
                "Logins refused unchecked with 500 (temporary), by reason (Redis unavailable and nothing cached, too"
                        + " many look-ups in flight).");
        p.labelled("turnlab_cluster_logins_refused_total", "reason", m.redis().loginsRefused());
        p.single("turnlab_cluster_allocation_events_total", "counter",
                "Allocation status and traffic events written to the cluster's Redis (coturn's schema.stats.redis).",
                m.redis().eventsPublished());
        p.single("turnlab_cluster_allocation_events_failed_total", "counter",
                "Allocation events that could not be written to Redis (down or slow); allocations are not affected.",
                m.redis().eventsFailed());

        p.single("turnlab_draining", "gauge",
                "1 while the server is draining (POST /drain, SIGTERM with --drain-grace): new allocations go elsewhere.",
                m.drain().draining() ? 1 : 0);
        p.family("turnlab_alternate_redirects_total", "counter",
                "Allocate requests answered 300 Try Alternate (RFC 8489 10), by reason (full, draining).");
        p.labelled("turnlab_alternate_redirects_total", "reason", m.drain().redirects());

        p.single("turnlab_tls_reloads_total", "counter",
                "TLS certificate reloads that served a new certificate (SIGHUP, POST /tls/reload, the files changed).",
                m.tls().reloads());
        p.single("turnlab_tls_reload_failures_total", "counter",
                "TLS certificate reloads that kept the old certificate because a file was bad.", m.tls().reloadFailures());
        if (m.tls().expiry() != null) {
            p.family("turnlab_tls_certificate_expiry_seconds", "gauge",
                    "When the TLS listener's certificate expires (its notAfter), in seconds since the epoch.");
            p.seconds("turnlab_tls_certificate_expiry_seconds", m.tls().expiry().toEpochMilli());
        }

        p.family("turnlab_faults_active", "gauge", "Lab faults, 1 while switched on (--fault, POST /faults), by fault.");
        for (Fault f : Fault.values()) {
            p.sample("turnlab_faults_active", "fault", f.label(), m.faults().isOn(f) ? 1 : 0);
        }
        p.family("turnlab_fault_dropped_packets_total", "counter", "Packets the lab faults dropped or left unanswered, by reason.");
        p.labelled("turnlab_fault_dropped_packets_total", "reason", m.faults().dropped());
        p.cluster(m.cluster());
        p.runtime(m.runtime());
        return p.out.toString();
    }

    /** The cluster's families, only for a node of one; the per-node ones are labelled by node name (a few). */
    private void cluster(MetricsSnapshot.Cluster c) {
        if (!c.enabled()) {
            return;
        }
        single("turnlab_cluster_redis_up", "gauge", "1 while the connection to the cluster's Redis is up.",
                c.redisUp() ? 1 : 0);
        single("turnlab_cluster_nodes", "gauge", "Live nodes in the cluster's registry, this one included.",
                c.nodes().size());
        single("turnlab_cluster_redirects_total", "counter",
                "Allocate requests sent to the least loaded other node of the registry (300 Try Alternate).", c.redirects());
        single("turnlab_cluster_quota_fallbacks_total", "counter",
                "Allocate requests whose user quota was counted on this node only, because Redis did not answer in time.",
                c.quotaFallbacks());
        if (c.nodes().isEmpty()) {
            return;
        }
        family("turnlab_cluster_node_allocations", "gauge", "Allocations of each live node, as it last announced them.");
        c.nodes().forEach(n -> sample("turnlab_cluster_node_allocations", "node", n.name(), n.allocations()));
        family("turnlab_cluster_node_relay_ports_free", "gauge", "Relay ports free on each live node, as it last announced them.");
        c.nodes().forEach(n -> sample("turnlab_cluster_node_relay_ports_free", "node", n.name(), n.relayPortsFree()));
        family("turnlab_cluster_node_draining", "gauge", "1 for each live node that is draining.");
        c.nodes().forEach(n -> sample("turnlab_cluster_node_draining", "node", n.name(), n.draining() ? 1 : 0));
    }

    /** The process and JVM families, named as Prometheus's Java client names them so that its dashboards work. */
    private void runtime(RuntimeFigures r) {
        if (r.cpu() != null) {
            family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
            out.append("process_cpu_seconds_total ").append(seconds(r.cpu().toNanos())).append('\n');
        }
        family("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.");
        seconds("process_start_time_seconds", r.started().toEpochMilli());
        optional("process_open_fds", "Number of open file descriptors.", r.openFds());
        optional("process_max_fds", "Maximum number of open file descriptors.", r.maxFds());
        optional("process_virtual_memory_bytes", "Virtual memory size in bytes.", r.virtualBytes());
        optional("process_resident_memory_bytes", "Resident memory size in bytes.", r.residentBytes());

        family("jvm_memory_used_bytes", "gauge", "Used bytes of a given JVM memory area.");
        sample("jvm_memory_used_bytes", "area", "heap", r.heap().used());
        sample("jvm_memory_used_bytes", "area", "nonheap", r.nonHeap().used());
        family("jvm_memory_committed_bytes", "gauge", "Committed (bytes) of a given JVM memory area.");
        sample("jvm_memory_committed_bytes", "area", "heap", r.heap().committed());
        sample("jvm_memory_committed_bytes", "area", "nonheap", r.nonHeap().committed());
        family("jvm_memory_max_bytes", "gauge", "Max (bytes) of a given JVM memory area; an area without a limit is left out.");
        if (r.heap().max() >= 0) {
            sample("jvm_memory_max_bytes", "area", "heap", r.heap().max());
        }
        if (r.nonHeap().max() >= 0) {
            sample("jvm_memory_max_bytes", "area", "nonheap", r.nonHeap().max());
        }

        family("jvm_gc_collection_seconds", "summary", "Time spent in a given JVM garbage collector in seconds.");
        for (RuntimeFigures.Collector c : r.collectors()) {
            out.append("jvm_gc_collection_seconds_count{");
            label("gc", c.name());
            out.append("} ").append(c.collections()).append("\njvm_gc_collection_seconds_sum{");
            label("gc", c.name());
            out.append("} ").append(seconds(c.time().toNanos())).append('\n');
        }

        RuntimeFigures.Threads t = r.threads();
        single("jvm_threads_current", "gauge", "Current thread count of a JVM.", t.live());
        single("jvm_threads_daemon", "gauge", "Daemon thread count of a JVM.", t.daemon());
        single("jvm_threads_peak", "gauge", "Peak thread count of a JVM.", t.peak());
        single("jvm_threads_started_total", "counter", "Started thread count of a JVM.", t.started());
        RuntimeFigures.Classes c = r.classes();
        single("jvm_classes_currently_loaded", "gauge", "The number of classes that are currently loaded in the JVM.",
                c.loaded());
        single("jvm_classes_loaded_total", "counter",
                "The total number of classes that have been loaded since the JVM has started execution.", c.totalLoaded());
        single("jvm_classes_unloaded_total", "counter",
                "The total number of classes that have been unloaded since the JVM has started execution.", c.unloaded());
    }

    /** A family with one unlabelled gauge, left out when the platform does not give it (-1). */
    private void optional(String name, String help, long value) {
        if (value >= 0) {
            single(name, "gauge", help, value);
        }
    }

    /** A histogram family: cumulative buckets by upper bound ({@code le}), then {@code _sum} and {@code _count}. */
    private void histogram(String name, String help, LatencyHistogram.Snapshot h) {
        family(name, "histogram", help);
        for (int i = 0; i <= h.bounds().size(); i++) {
            out.append(name).append("_bucket{le=\"")
                    .append(i < h.bounds().size() ? seconds(h.bounds().get(i).toNanos()) : "+Inf")
                    .append("\"} ").append(h.cumulative().get(i)).append('\n');
        }
        out.append(name).append("_sum ").append(seconds(h.sum().toNanos())).append('\n');
        out.append(name).append("_count ").append(h.count()).append('\n');
    }

    /** {@code nanos} in seconds, as a plain decimal without trailing zeros. */
    private static String seconds(long nanos) {
        return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }

    /** The admin listener's own figures: requests refused for a missing or wrong bearer token. */
    static String admin(long unauthorized) {
        PrometheusText p = new PrometheusText();
        p.single("turnlab_admin_unauthorized_total", "counter",
                "Admin listener requests refused with 401: no bearer token, or a wrong one.", unauthorized);
        return p.out.toString();
    }

    private void family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\n') {
                out.append("\\n");
            } else {
                out.append(c);
            }
        }
        out.append("\n# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** A family with one unlabelled sample. */
    private void single(String name, String type, String help, long value) {
        family(name, type, help);
        sample(name, value);
    }

    private void labelled(String name, String label, Map<String, Long> values) {
        values.forEach((value, n) -> sample(name, label, value, n));
    }

    private void sample(String name, long value) {
        out.append(name).append(' ').append(value).append('\n');
    }

    /** A value in seconds with millisecond precision, written without an exponent. */
    private void seconds(String name, long millis) {
        out.append(name).append(' ').append(millis / 1000).append('.');
        long fraction = millis % 1000;
        out.append(fraction < 100 ? fraction < 10 ? "00" : "0" : "").append(fraction).append('\n');
    }

    private void sample(String name, String label, String value, long n) {
        out.append(name).append('{');
        label(label, value);
        out.append("} ").append(n).append('\n');
    }

    private void sample(String name, String label1, String value1, String label2, String value2, long n) {
        out.append(name).append('{');
        label(label1, value1);
        out.append(',');
        label(label2, value2);
        out.append("} ").append(n).append('\n');
    }

    private void label(String name, String value) {
        out.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        out.append('"');
    }
}
