package dev.turnlab.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnlab.codec.StunClass;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.Peer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code /metrics} adds to the server's counters, from a real server on loopback: the process and JVM
 * figures are present and plausible, a real allocation's set-up time is observed, relayed datagrams are
 * sampled into the relay latency histogram one in 64 each way, and the peak of allocations stays once they
 * are gone (in {@code /status} too).
 */
class ServerMetricsTest {

    private static final String SETUP = "turnlab_allocation_setup_seconds";
    private static final String RELAY = "turnlab_relay_latency_seconds";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private TurnServer server;

    @BeforeEach
    void start() {
        server = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(31700, 31749)
                .user("alice", "alice-secret").user("bob", "bob-secret")
                .allowLoopbackPeers(true).ioThreads(2).noTls()
                .admin("127.0.0.1:0")
                .build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void processAndJvmFiguresArePresentAndPlausible() throws Exception {
        PrometheusExposition m = metrics();

        assertThat(m.value("process_cpu_seconds_total")).isPositive();
        double started = m.value("process_start_time_seconds");
        assertThat(started).isLessThanOrEqualTo(Instant.now().getEpochSecond() + 1)
                .isGreaterThan(Instant.now().minus(Duration.ofDays(1)).getEpochSecond());
        // This JVM holds the server's sockets open, at least: some, and fewer than the limit.
        assertThat(m.value("process_open_fds")).isPositive().isLessThan(m.value("process_max_fds"));
        assertThat(m.value("process_resident_memory_bytes")).isGreaterThan(1 << 20)
                .isLessThan(m.value("process_virtual_memory_bytes"));
        assertThat(m.value("jvm_memory_used_bytes{area=\"heap\"}")).isPositive()
                .isLessThanOrEqualTo(m.value("jvm_memory_committed_bytes{area=\"heap\"}"));
        assertThat(m.value("jvm_memory_committed_bytes{area=\"heap\"}"))
                .isLessThanOrEqualTo(m.value("jvm_memory_max_bytes{area=\"heap\"}"));
        assertThat(m.value("jvm_memory_used_bytes{area=\"nonheap\"}")).isPositive();
        assertThat(m.samples().keySet()).anySatisfy(s -> assertThat(s).startsWith("jvm_gc_collection_seconds_count{gc=\""));
        m.samples().forEach((series, value) -> {
            if (series.startsWith("jvm_gc_collection_seconds_")) {
                assertThat(value).as(series).isGreaterThanOrEqualTo(0);
            }
        });
        double live = m.value("jvm_threads_current");
        // The server's two I/O threads and the admin listener's are among them.
        assertThat(live).isGreaterThanOrEqualTo(3).isLessThanOrEqualTo(m.value("jvm_threads_peak"));
        assertThat(m.value("jvm_threads_daemon")).isLessThanOrEqualTo(live);
        assertThat(m.value("jvm_threads_started_total")).isGreaterThanOrEqualTo(m.value("jvm_threads_peak"));
        assertThat(m.value("jvm_classes_currently_loaded")).isGreaterThan(1000)
                .isLessThanOrEqualTo(m.value("jvm_classes_loaded_total"));
        assertThat(m.value("jvm_classes_unloaded_total")).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aRealAllocationsSetUpTimeIsObservedAndThePeakStays() throws Exception {
        PrometheusExposition before = metrics();
        assertThat(before.value(SETUP + "_count")).isZero();
        assertThat(before.value("turnlab_allocations_peak")).isZero();

        try (BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient bob = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret")) {
            alice.allocate();
            bob.allocate();
            PrometheusExposition m = metrics();
            assertThat(m.value("turnlab_allocations_peak")).isEqualTo(2);
            assertThat(m.value(SETUP + "_count")).isEqualTo(2);
            assertThat(m.value(SETUP + "_bucket{le=\"+Inf\"}")).isEqualTo(2);
            // Binding a relay socket on loopback: well under the 10 s of the last bound, and it took some time.
            assertThat(m.value(SETUP + "_bucket{le=\"10\"}")).isEqualTo(2);
            assertThat(m.value(SETUP + "_sum")).isPositive().isLessThan(20);
            assertCumulative(m, SETUP);

            assertThat(alice.refresh(0).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(bob.refresh(0).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        }
        PrometheusExposition after = metrics();
        assertThat(after.value("turnlab_allocations_active")).isZero();
        assertThat(after.value("turnlab_allocations_peak")).isEqualTo(2);
        // Deleting allocations sets nothing up: the count stays.
        assertThat(after.value(SETUP + "_count")).isEqualTo(2);
        JsonNode status = new ObjectMapper().readTree(get("/status").body());
        assertThat(status.at("/totals/allocationsActive").asInt()).isZero();
        assertThat(status.at("/totals/allocationsPeak").asInt()).isEqualTo(2);
    }

    @Test
    void oneRelayedDatagramIn64IsTimedEachWay() throws Exception {
        try (BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                Peer peer = new Peer()) {
            InetSocketAddress relayed = BlockingClient.relayed(alice.allocate());
            alice.createPermission(peer.address());
            alice.channelBind(0x4000, peer.address());
            byte[] payload = new byte[100];
            // In lockstep, so that no datagram is lost to a full socket buffer on a busy machine.
            for (int i = 0; i < 63; i++) {
                alice.sendChannelData(0x4000, payload);
                assertThat(peer.receive(5000)).isNotNull();
            }
            assertThat(metrics().value(RELAY + "_count")).isZero();
            alice.sendChannelData(0x4000, payload);
            assertThat(peer.receive(5000)).isNotNull();
            // Recorded at the flush that sent it, which ran before the peer could receive it.
            assertThat(metrics().value(RELAY + "_count")).isEqualTo(1);

            for (int i = 0; i < 64; i++) {
                peer.send(relayed, payload);
                assertThat(alice.receiveRaw(5000)).isNotNull();
            }
            PrometheusExposition m = metrics();
            assertThat(m.value(RELAY + "_count")).isEqualTo(2);
            assertThat(m.value(RELAY + "_bucket{le=\"+Inf\"}")).isEqualTo(2);
            // Microseconds on an idle machine; a loaded one may take milliseconds, but not seconds.
            assertThat(m.value(RELAY + "_bucket{le=\"1\"}")).isEqualTo(2);
            assertThat(m.value(RELAY + "_sum")).isPositive().isLessThan(2);
            assertCumulative(m, RELAY);
            assertThat(m.value("turnlab_relayed_packets_total{direction=\"client_to_peer\"}")).isEqualTo(64);
        }
    }

    /** Every bucket counts at least what the one before it did, and +Inf is the count. */
    private static void assertCumulative(PrometheusExposition m, String histogram) {
        double previous = 0;
        int buckets = 0;
        for (var e : m.samples().entrySet()) {
            if (e.getKey().startsWith(histogram + "_bucket{")) {
                assertThat(e.getValue()).as(e.getKey()).isGreaterThanOrEqualTo(previous);
                previous = e.getValue();
                buckets++;
            }
        }
        assertThat(buckets).isGreaterThan(10);
        assertThat(previous).isEqualTo(m.value(histogram + "_count"));
    }

    private PrometheusExposition metrics() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        return PrometheusExposition.parse(r.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + FiveTuple.format(server.adminAddress()) + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
