package dev.turnlab.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.ServerCounters;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exposition of a snapshot built by hand: every value where it belongs, in the format Prometheus reads. */
class PrometheusTextTest {

    /** A snapshot with a distinct value in every field, for the other formats' tests too. */
    static MetricsSnapshot snapshot() {
        Map<ServerCounters.ErrorResponse, Long> errors = new LinkedHashMap<>();
        errors.put(new ServerCounters.ErrorResponse("refresh", 437), 3L);
        errors.put(new ServerCounters.ErrorResponse("allocate", 486), 2L);
        errors.put(new ServerCounters.ErrorResponse("allocate", 508), 1L);
        return new MetricsSnapshot("1.2.3", Instant.ofEpochMilli(1_700_000_000_005L), Duration.ofMillis(61_070),
                4, 10, Map.of("expired", 6L), 5, 2, new MetricsSnapshot.Traffic(7, 700, 8, 800),
                Map.of("allocate", 12L), 9, Map.of("integrity", 1L), errors, Map.of("no_permission", 11L),
                4, 96, Map.of("stun", 13L), 14, new MetricsSnapshot.Connections(17, Map.of("per_source_limit", 15L),
                        Map.of("first_request", 16L)), dev.turnlab.server.fault.FaultReport.NONE,
                new MetricsSnapshot.Drain(true, Map.of("full", 18L, "draining", 19L)),
                new MetricsSnapshot.Bandwidth(20, 21, 22, 23, new MetricsSnapshot.Traffic(24, 25, 26, 27)),
                new MetricsSnapshot.TcpRelays(28, 29, Map.of("unknown_bind", 30L)),
                new MetricsSnapshot.Tls("CN=turn.example.com", Instant.ofEpochSecond(1_800_000_000L), 31, 32), 33,
                new MetricsSnapshot.Latency(setup(), relay()), runtime(),
                new MetricsSnapshot.RedisUse(34, 35, Map.of("redis_unavailable", 36L), 37, 38), cluster());
    }

    /** A node of a two-node cluster, the other one draining. */
    static MetricsSnapshot.Cluster cluster() {
        return new MetricsSnapshot.Cluster(true, "turn-a", true, List.of(
                new MetricsSnapshot.ClusterNode("turn-a", new java.net.InetSocketAddress("192.0.2.1", 3478), 4, 0, 96, 100,
                        false, 4),
                new MetricsSnapshot.ClusterNode("turn-b", new java.net.InetSocketAddress("192.0.2.2", 3478), 35, 50, 65,
                        100, true, 70)), 34, 35);
    }

    /** Three set-ups: 0.2 ms, 3 ms, 20 s (past the last bound). */
    static LatencyHistogram.Snapshot setup() {
        LatencyHistogram h = LatencyHistogram.allocationSetup();
        h.observe(200_000);
        h.observe(3_000_000);
        h.observe(20_000_000_000L);
        return h.snapshot();
    }

    /** Two relayed datagrams: 10 µs exactly (on a bound: counted in it) and 60 µs. */
    static LatencyHistogram.Snapshot relay() {
        LatencyHistogram h = LatencyHistogram.relayLatency();
        h.observe(10_000);
        h.observe(60_000);
        return h.snapshot();
    }

    static RuntimeFigures runtime() {
        return new RuntimeFigures(Duration.ofMillis(12_340), Instant.ofEpochMilli(1_699_999_990_250L), 200L << 20, 3L << 30,
                41, 65_536, new RuntimeFigures.Memory(50L << 20, 64L << 20, 512L << 20),
                new RuntimeFigures.Memory(30L << 20, 32L << 20, -1),
                List.of(new RuntimeFigures.Collector("G1 Young Generation", 7, Duration.ofMillis(45)),
                        new RuntimeFigures.Collector("G1 Old Generation", 0, Duration.ZERO)),
                new RuntimeFigures.Threads(23, 19, 25, 40), new RuntimeFigures.Classes(5000, 5100, 100));
    }

    @Test
    void everyValueLandsInItsSeries() {
        PrometheusExposition m = PrometheusExposition.parse(PrometheusText.format(snapshot()));

        assertThat(m.value("turnlab_start_time_seconds")).isEqualTo(1_700_000_000.005);
        assertThat(m.value("turnlab_uptime_seconds")).isEqualTo(61.07);
        assertThat(m.value("turnlab_allocations_active")).isEqualTo(4);
        assertThat(m.value("turnlab_allocations_peak")).isEqualTo(33);
        assertThat(m.value("turnlab_allocations_created_total")).isEqualTo(10);
        assertThat(m.value("turnlab_allocations_deleted_total{reason=\"expired\"}")).isEqualTo(6);
        assertThat(m.value("turnlab_permissions_active")).isEqualTo(5);
        assertThat(m.value("turnlab_channels_active")).isEqualTo(2);
        assertThat(m.value("turnlab_draining")).isEqualTo(1);
        assertThat(m.value("turnlab_tls_reloads_total")).isEqualTo(31);
        assertThat(m.value("turnlab_tls_reload_failures_total")).isEqualTo(32);
        assertThat(m.value("turnlab_tls_certificate_expiry_seconds")).isEqualTo(1_800_000_000);
        assertThat(m.value("turnlab_alternate_redirects_total{reason=\"full\"}")).isEqualTo(18);
        assertThat(m.value("turnlab_alternate_redirects_total{reason=\"draining\"}")).isEqualTo(19);
        assertThat(m.value("turnlab_cluster_redis_up")).isEqualTo(1);
        assertThat(m.value("turnlab_cluster_nodes")).isEqualTo(2);
        assertThat(m.value("turnlab_cluster_redirects_total")).isEqualTo(34);
        assertThat(m.value("turnlab_cluster_quota_fallbacks_total")).isEqualTo(35);
        assertThat(m.value("turnlab_cluster_node_allocations{node=\"turn-b\"}")).isEqualTo(35);
        assertThat(m.value("turnlab_cluster_node_relay_ports_free{node=\"turn-a\"}")).isEqualTo(96);
        assertThat(m.value("turnlab_cluster_node_draining{node=\"turn-b\"}")).isEqualTo(1);
        assertThat(m.value("turnlab_relayed_bytes_total{direction=\"client_to_peer\"}")).isEqualTo(700);
        assertThat(m.value("turnlab_relayed_packets_total{direction=\"peer_to_client\"}")).isEqualTo(8);
        assertThat(m.value("turnlab_requests_total{method=\"allocate\"}")).isEqualTo(12);
        assertThat(m.value("turnlab_auth_challenges_total")).isEqualTo(9);
        assertThat(m.value("turnlab_auth_failures_total{reason=\"integrity\"}")).isEqualTo(1);
        assertThat(m.value("turnlab_request_rejections_total{method=\"refresh\",code=\"437\"}")).isEqualTo(3);
        assertThat(m.value("turnlab_allocation_failures_total{code=\"486\"}")).isEqualTo(2);
        assertThat(m.value("turnlab_allocation_failures_total{code=\"508\"}")).isEqualTo(1);
        assertThat(m.samples()).doesNotContainKey("turnlab_allocation_failures_total{code=\"437\"}");
        assertThat(m.value("turnlab_dropped_packets_total{reason=\"no_permission\"}")).isEqualTo(11);
        assertThat(m.value("turnlab_relay_ports_in_use")).isEqualTo(4);
        assertThat(m.value("turnlab_relay_ports_free")).isEqualTo(96);
        assertThat(m.value("turnlab_stream_decoder_messages_total{kind=\"stun\"}")).isEqualTo(13);
        assertThat(m.value("turnlab_relay_to_relay_permissions_total")).isEqualTo(14);
        assertThat(m.value("turnlab_stream_connections_open")).isEqualTo(17);
        assertThat(m.value("turnlab_stream_connections_refused_total{reason=\"per_source_limit\"}")).isEqualTo(15);
        assertThat(m.value("turnlab_stream_connections_timed_out_total{reason=\"first_request\"}")).isEqualTo(16);
        assertThat(m.value("turnlab_bandwidth_max_bytes_per_second")).isEqualTo(20);
        assertThat(m.value("turnlab_bandwidth_capacity_bytes_per_second")).isEqualTo(21);
        assertThat(m.value("turnlab_bandwidth_reserved_bytes_per_second")).isEqualTo(22);
        assertThat(m.value("turnlab_bandwidth_refused_allocations_total")).isEqualTo(23);
        assertThat(m.value("turnlab_bandwidth_dropped_packets_total{direction=\"client_to_peer\"}")).isEqualTo(24);
        assertThat(m.value("turnlab_bandwidth_dropped_bytes_total{direction=\"client_to_peer\"}")).isEqualTo(25);
        assertThat(m.value("turnlab_bandwidth_dropped_packets_total{direction=\"peer_to_client\"}")).isEqualTo(26);
        assertThat(m.value("turnlab_bandwidth_dropped_bytes_total{direction=\"peer_to_client\"}")).isEqualTo(27);
        assertThat(m.value("turnlab_tcp_relay_connections_active")).isEqualTo(28);
        assertThat(m.value("turnlab_tcp_relay_connections_opened_total")).isEqualTo(29);
        assertThat(m.value("turnlab_tcp_relay_failures_total{reason=\"unknown_bind\"}")).isEqualTo(30);
        assertThat(m.value("turnlab_cluster_user_lookups_total")).isEqualTo(34);
        assertThat(m.value("turnlab_cluster_stale_logins_total")).isEqualTo(35);
        assertThat(m.value("turnlab_cluster_logins_refused_total{reason=\"redis_unavailable\"}")).isEqualTo(36);
        assertThat(m.value("turnlab_cluster_allocation_events_total")).isEqualTo(37);
        assertThat(m.value("turnlab_cluster_allocation_events_failed_total")).isEqualTo(38);
    }

    @Test
    void histogramsAreCumulativeWithSumAndCount() {
        PrometheusExposition m = PrometheusExposition.parse(PrometheusText.format(snapshot()));

        assertThat(m.types()).containsEntry("turnlab_allocation_setup_seconds", "histogram")
                .containsEntry("turnlab_relay_latency_seconds", "histogram");
        String setup = "turnlab_allocation_setup_seconds";
        assertThat(m.value(setup + "_bucket{le=\"0.0001\"}")).isZero();
        assertThat(m.value(setup + "_bucket{le=\"0.00025\"}")).isEqualTo(1);
        assertThat(m.value(setup + "_bucket{le=\"0.0025\"}")).isEqualTo(1);
        assertThat(m.value(setup + "_bucket{le=\"0.005\"}")).isEqualTo(2);
        assertThat(m.value(setup + "_bucket{le=\"10\"}")).isEqualTo(2);
        assertThat(m.value(setup + "_bucket{le=\"+Inf\"}")).isEqualTo(3);
        assertThat(m.value(setup + "_count")).isEqualTo(3);
        assertThat(m.value(setup + "_sum")).isEqualTo(20.0032);
        String relay = "turnlab_relay_latency_seconds";
        assertThat(m.value(relay + "_bucket{le=\"0.00001\"}")).isEqualTo(1);
        assertThat(m.value(relay + "_bucket{le=\"0.000025\"}")).isEqualTo(1);
        assertThat(m.value(relay + "_bucket{le=\"0.0001\"}")).isEqualTo(2);
        assertThat(m.value(relay + "_count")).isEqualTo(2);
        assertThat(m.value(relay + "_sum")).isEqualTo(0.00007);
    }

    @Test
    void processAndJvmFiguresKeepTheJavaClientsNames() {
        PrometheusExposition m = PrometheusExposition.parse(PrometheusText.format(snapshot()));

        assertThat(m.value("process_cpu_seconds_total")).isEqualTo(12.34);
        assertThat(m.value("process_start_time_seconds")).isEqualTo(1_699_999_990.25);
        assertThat(m.value("process_resident_memory_bytes")).isEqualTo(200 << 20);
        assertThat(m.value("process_virtual_memory_bytes")).isEqualTo(3.0 * (1L << 30));
        assertThat(m.value("process_open_fds")).isEqualTo(41);
        assertThat(m.value("process_max_fds")).isEqualTo(65_536);
        assertThat(m.value("jvm_memory_used_bytes{area=\"heap\"}")).isEqualTo(50 << 20);
        assertThat(m.value("jvm_memory_committed_bytes{area=\"nonheap\"}")).isEqualTo(32 << 20);
        assertThat(m.value("jvm_memory_max_bytes{area=\"heap\"}")).isEqualTo(512 << 20);
        // Non-heap memory without a limit (-1) is left out, not written as -1.
        assertThat(m.samples()).doesNotContainKey("jvm_memory_max_bytes{area=\"nonheap\"}");
        assertThat(m.value("jvm_gc_collection_seconds_count{gc=\"G1 Young Generation\"}")).isEqualTo(7);
        assertThat(m.value("jvm_gc_collection_seconds_sum{gc=\"G1 Young Generation\"}")).isEqualTo(0.045);
        assertThat(m.value("jvm_gc_collection_seconds_count{gc=\"G1 Old Generation\"}")).isZero();
        assertThat(m.types()).containsEntry("jvm_gc_collection_seconds", "summary");
        assertThat(m.value("jvm_threads_current")).isEqualTo(23);
        assertThat(m.value("jvm_threads_daemon")).isEqualTo(19);
        assertThat(m.value("jvm_threads_peak")).isEqualTo(25);
        assertThat(m.value("jvm_threads_started_total")).isEqualTo(40);
        assertThat(m.value("jvm_classes_currently_loaded")).isEqualTo(5000);
        assertThat(m.value("jvm_classes_loaded_total")).isEqualTo(5100);
        assertThat(m.value("jvm_classes_unloaded_total")).isEqualTo(100);
    }

    @Test
    void errorResponsesAreSortedByMethodThenCode() {
        assertThat(snapshot().errorResponses().keySet()).containsExactly(
                new ServerCounters.ErrorResponse("allocate", 486), new ServerCounters.ErrorResponse("allocate", 508),
                new ServerCounters.ErrorResponse("refresh", 437));
    }
}
