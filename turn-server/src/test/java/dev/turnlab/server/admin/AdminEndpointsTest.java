package dev.turnlab.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.TurnServerBuilder;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.ServerCounters;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import dev.turnlab.testing.tools.Peer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin endpoints over real HTTP on loopback, against a server on ephemeral ports after real TURN
 * traffic: counters move as the traffic did, /metrics is valid Prometheus text, /status valid JSON that
 * lists the allocation exactly as users sent it while the status page is static, unknown paths 404, other
 * methods 405.
 */
class AdminEndpointsTest {

    private static final String HOSTILE = "<script>alert(\"x\")</script>&'";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private TurnServer server;
    private Peer peer;

    @BeforeEach
    void start() throws Exception {
        server = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(31800, 31899)
                .user("alice", "alice-secret").user(HOSTILE, "hostile-secret")
                .allowLoopbackPeers(true).ioThreads(2).noTls()
                .admin("127.0.0.1:0")
                .build().start();
        peer = new Peer();
    }

    @AfterEach
    void stop() {
        peer.close();
        server.close();
    }

    @Test
    void adminIsOffByDefault() {
        try (TurnServer plain = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(31900, 31909)
                .user("alice", "alice-secret").noTls().build().start()) {
            assertThat(plain.adminAddress()).isNull();
            assertThat(plain.metrics().allocationsActive()).isZero();
        }
    }

    @Test
    void adminBindsAnEphemeralPortOnLoopback() {
        InetSocketAddress admin = server.adminAddress();
        assertThat(admin.getAddress().isLoopbackAddress()).isTrue();
        assertThat(admin.getPort()).isPositive();
    }

    @Test
    void countersFollowRealTraffic() throws Exception {
        PrometheusExposition before = metrics();
        assertThat(before.value("turnlab_allocations_active")).isZero();
        assertThat(before.value("turnlab_relay_ports_free")).isEqualTo(100);

        try (BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient intruder = BlockingClient.udp(server.udpAddress(), "alice", "wrong");
                Peer stranger = Peer.on("127.0.0.2")) {
            InetSocketAddress relayed = BlockingClient.relayed(alice.allocate());
            // A second Allocate on the same 5-tuple: 437 Allocation Mismatch, an allocation failure.
            assertThat(BlockingClient.isError(alice.allocate(), 437)).isTrue();
            assertThat(BlockingClient.isError(intruder.allocate(), 401)).isTrue();
            alice.createPermission(peer.address());
            alice.channelBind(0x4000, peer.address());
            alice.sendIndication(peer.address(), bytes("hello"));
            assertThat(peer.receive(2000)).isNotNull();
            alice.sendChannelData(0x4000, bytes("over a channel"));
            assertThat(peer.receive(2000)).isNotNull();
            peer.send(relayed, bytes("back"));
            assertThat(alice.receiveRaw(2000)).isNotNull();
            stranger.send(relayed, bytes("no permission for 127.0.0.2"));

            PrometheusExposition m = awaitMetric("turnlab_dropped_packets_total{reason=\"no_permission\"}", 1);
            assertThat(m.value("turnlab_allocations_active")).isEqualTo(1);
            assertThat(m.value("turnlab_allocations_created_total")).isEqualTo(1);
            assertThat(m.value("turnlab_permissions_active")).isEqualTo(1);
            assertThat(m.value("turnlab_channels_active")).isEqualTo(1);
            assertThat(m.value("turnlab_relay_ports_in_use")).isEqualTo(1);
            assertThat(m.value("turnlab_relay_ports_free")).isEqualTo(99);
            assertThat(m.value("turnlab_relayed_packets_total{direction=\"client_to_peer\"}")).isEqualTo(2);
            assertThat(m.value("turnlab_relayed_bytes_total{direction=\"client_to_peer\"}")).isEqualTo(5 + 14);
            assertThat(m.value("turnlab_relayed_packets_total{direction=\"peer_to_client\"}")).isEqualTo(1);
            assertThat(m.value("turnlab_relayed_bytes_total{direction=\"peer_to_client\"}")).isEqualTo(4);
            assertThat(m.value("turnlab_auth_challenges_total")).isEqualTo(2);
            assertThat(m.value("turnlab_auth_failures_total{reason=\"integrity\"}")).isEqualTo(1);
            assertThat(m.value("turnlab_auth_failures_total{reason=\"stale_nonce\"}")).isZero();
            assertThat(m.value("turnlab_request_rejections_total{method=\"allocate\",code=\"401\"}")).isEqualTo(1);
            assertThat(m.value("turnlab_request_rejections_total{method=\"allocate\",code=\"437\"}")).isEqualTo(1);
            assertThat(m.value("turnlab_allocation_failures_total{code=\"437\"}")).isEqualTo(1);
            assertThat(m.value("turnlab_allocation_failures_total{code=\"401\"}")).isEqualTo(1);
            // alice: challenge + Allocate, Allocate again (nonce known); intruder: challenge + Allocate.
            assertThat(m.value("turnlab_requests_total{method=\"allocate\"}")).isEqualTo(5);
            assertThat(m.value("turnlab_requests_total{method=\"create_permission\"}")).isEqualTo(1);
            assertThat(m.value("turnlab_requests_total{method=\"channel_bind\"}")).isEqualTo(1);

            // Deleting the allocation keeps what it relayed: counters never go back.
            assertThat(alice.refresh(0).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            PrometheusExposition after = metrics();
            assertThat(after.value("turnlab_allocations_active")).isZero();
            assertThat(after.value("turnlab_allocations_deleted_total{reason=\"refresh\"}")).isEqualTo(1);
            assertThat(after.value("turnlab_allocations_deleted_total{reason=\"expired\"}")).isZero();
            assertThat(after.value("turnlab_permissions_active")).isZero();
            assertThat(after.value("turnlab_relayed_packets_total{direction=\"client_to_peer\"}")).isEqualTo(2);
            assertThat(after.value("turnlab_relayed_bytes_total{direction=\"peer_to_client\"}")).isEqualTo(4);
            assertThat(after.value("turnlab_dropped_packets_total{reason=\"no_permission\"}")).isEqualTo(1);
            assertThat(after.value("turnlab_requests_total{method=\"refresh\"}")).isEqualTo(1);
        }
    }

    @Test
    void authenticationFailuresAreCountedByReason() throws Exception {
        try (BlockingClient mallory = BlockingClient.udp(server.udpAddress(), "mallory", "guess");
                BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            assertThat(BlockingClient.isError(mallory.allocate(), 401)).isTrue();
            // A nonce the server never issued: 438, then the client retries with the fresh one.
            alice.learn(challenge("turnlab", "forged-nonce"));
            assertThat(alice.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            // A realm that is not the server's: 401.
            String nonce = alice.nonce();
            alice.learn(challenge("elsewhere", nonce));
            assertThat(BlockingClient.isError(alice.refresh(600), 401)).isTrue();
            // MESSAGE-INTEGRITY without USERNAME: 400.
            StunMessage anonymous = StunMessage.request(Method.REFRESH)
                    .add(new Realm("turnlab"), new Nonce(nonce))
                    .integrity(BlockingClient.key("alice", "turnlab", "alice-secret")).build();
            assertThat(BlockingClient.isError(alice.exchange(anonymous), 400)).isTrue();
        }

        MetricsSnapshot m = server.metrics();

        assertThat(m.authFailures()).containsEntry("unknown_user", 1L).containsEntry("stale_nonce", 1L)
                .containsEntry("wrong_realm", 1L).containsEntry("missing_attributes", 1L)
                .containsEntry("integrity", 0L).containsEntry("rate_limited_source", 0L)
                .containsEntry("rate_limited_user", 0L);
        assertThat(m.authChallenges()).isEqualTo(1); // mallory's; alice was given a (forged) nonce up front
        assertThat(m.errorResponses()).containsEntry(new ServerCounters.ErrorResponse("allocate", 438), 1L)
                .containsEntry(new ServerCounters.ErrorResponse("refresh", 400), 1L);
    }

    private static StunMessage challenge(String realm, String nonce) {
        return StunMessage.builder(Method.ALLOCATE, StunClass.ERROR_RESPONSE)
                .add(new Realm(realm), new Nonce(nonce)).build();
    }

    @Test
    void expiryIsCountedAndWhatTheAllocationRelayedIsKept() throws Exception {
        MutableClock clock = MutableClock.now();
        try (TurnServer frozen = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(31920, 31929)
                .user("alice", "alice-secret").allowLoopbackPeers(true).noTls().clock(clock).admin("127.0.0.1:0")
                .build().start();
                BlockingClient alice = BlockingClient.udp(frozen.udpAddress(), "alice", "alice-secret")) {
            alice.allocate();
            alice.createPermission(peer.address());
            alice.sendIndication(peer.address(), bytes("before expiry"));
            assertThat(peer.receive(2000)).isNotNull();

            // RFC 8656 §7.2: the default lifetime is 600 s; the server sweeps once a second.
            clock.advance(Duration.ofSeconds(601));

            awaitMetric(frozen, "turnlab_allocations_deleted_total{reason=\"expired\"}", 1);
            // The relay port comes back once its socket has closed, after the deletion.
            PrometheusExposition m = awaitMetric(frozen, "turnlab_relay_ports_free", 10);
            assertThat(m.value("turnlab_allocations_active")).isZero();
            assertThat(m.value("turnlab_relayed_bytes_total{direction=\"client_to_peer\"}")).isEqualTo(13);
        }
    }

    @Test
    void closingATcpConnectionIsCountedAsSuch() throws Exception {
        try (BlockingClient tcp = BlockingClient.tcp(server.tcpAddress(), "alice", "alice-secret")) {
            assertThat(tcp.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(metrics().value("turnlab_allocations_active")).isEqualTo(1);
        }
        PrometheusExposition m = awaitMetric("turnlab_allocations_deleted_total{reason=\"connection_closed\"}", 1);
        assertThat(m.value("turnlab_allocations_active")).isZero();
    }

    @Test
    void metricsAreValidPrometheusText() throws Exception {
        try (BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            alice.allocate();
            alice.exchange(StunMessage.request(Method.ALLOCATE).add(RequestedTransport.TCP).build());
            HttpResponse<String> r = get("/metrics");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            PrometheusExposition m = PrometheusExposition.parse(r.body());
            assertThat(m.types()).containsEntry("turnlab_allocations_active", "gauge")
                    .containsEntry("turnlab_relayed_bytes_total", "counter")
                    .containsEntry("turnlab_build_info", "gauge");
            assertThat(m.samples().keySet()).anySatisfy(s -> assertThat(s)
                    .startsWith("turnlab_build_info{version=\"" + ServerMonitor.version() + "\",java=\""));
            assertThat(m.value("turnlab_uptime_seconds")).isGreaterThanOrEqualTo(0);
            // No label names a user or an address.
            assertThat(r.body()).doesNotContain("alice").doesNotContain("127.0.0.1");
        }
    }

    @Test
    void theExpositionCheckerRejectsWhatPrometheusWould() {
        String ok = "# HELP turnlab_x_total X.\n# TYPE turnlab_x_total counter\nturnlab_x_total{a=\"1\"} 2\n";
        assertThat(PrometheusExposition.parse(ok).value("turnlab_x_total{a=\"1\"}")).isEqualTo(2);
        for (String bad : new String[] {
                "turnlab_x_total 1\n",
                "# HELP turnlab_x X.\n# TYPE turnlab_x counter\nturnlab_x 1\n",
                "# HELP turnlab_x_total X.\n# TYPE turnlab_x_total counter\nturnlab_x_total{a=1} 1\n",
                "# HELP turnlab_x_total X.\n# TYPE turnlab_x_total counter\nturnlab_x_total one\n",
                "# HELP x_total X.\n# TYPE x_total counter\nx_total 1\n",
                ok + "turnlab_x_total{a=\"1\"} 3\n",
                ok.substring(0, ok.length() - 1)}) {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                    .isThrownBy(() -> PrometheusExposition.parse(bad));
        }
    }

    @Test
    void statusIsJsonListingEveryAllocation() throws Exception {
        try (BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            InetSocketAddress relayed = BlockingClient.relayed(alice.allocate());
            alice.createPermission(peer.address());
            alice.channelBind(0x4001, peer.address());
            alice.sendChannelData(0x4001, bytes("abc"));
            assertThat(peer.receive(2000)).isNotNull();

            HttpResponse<String> r = get("/status");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
            JsonNode status = new ObjectMapper().readTree(r.body());
            assertThat(status.get("version").asText()).isEqualTo(ServerMonitor.version());
            assertThat(status.get("profile").asText()).isEqualTo("standard");
            assertThat(status.get("realm").asText()).isEqualTo("turnlab");
            assertThat(status.get("listeners")).hasSize(2);
            assertThat(status.get("listeners").get(0).get("transport").asText()).isEqualTo("udp");
            assertThat(status.get("listeners").get(0).get("port").asInt()).isEqualTo(server.udpAddress().getPort());
            assertThat(status.at("/relay/portMin").asInt()).isEqualTo(31800);
            assertThat(status.at("/totals/allocationsActive").asInt()).isEqualTo(1);
            JsonNode allocations = status.get("allocations");
            assertThat(allocations).hasSize(1);
            JsonNode a = allocations.get(0);
            assertThat(a.get("id").asText()).matches("[0-9a-f]{12}");
            assertThat(a.get("username").asText()).isEqualTo("alice");
            assertThat(a.get("transport").asText()).isEqualTo("udp");
            assertThat(a.get("client").asText()).isEqualTo(FiveTuple.format(alice.localAddress()));
            assertThat(a.get("server").asText()).isEqualTo(FiveTuple.format(server.udpAddress()));
            assertThat(a.get("relayed").get(0).asText()).isEqualTo(FiveTuple.format(relayed));
            assertThat(a.get("permissions").get(0).asText()).isEqualTo("127.0.0.1");
            assertThat(a.get("channels").get(0).get("number").asInt()).isEqualTo(0x4001);
            assertThat(a.get("channels").get(0).get("peer").asText()).isEqualTo(FiveTuple.format(peer.address()));
            assertThat(a.at("/traffic/packetsToPeer").asLong()).isEqualTo(1);
            assertThat(a.at("/traffic/bytesToPeer").asLong()).isEqualTo(3);
            assertThat(java.time.Instant.parse(a.get("expires").asText()))
                    .isAfter(java.time.Instant.parse(a.get("created").asText()));

            // The embedding API gives the same, as records.
            StatusSnapshot snapshot = server.status();
            assertThat(snapshot.allocations()).singleElement().satisfies(s -> {
                assertThat(s.username()).isEqualTo("alice");
                assertThat(s.relayed()).containsExactly(relayed);
                assertThat(s.traffic().bytesToPeer()).isEqualTo(3);
            });
        }
    }

    @Test
    void statusPageCarriesNoUserDataAndStatusCarriesItExactly() throws Exception {
        try (BlockingClient hostile = BlockingClient.udp(server.udpAddress(), HOSTILE, "hostile-secret")) {
            assertThat(hostile.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

            HttpResponse<String> page = get("/status.html");
            HttpResponse<String> json = get("/status");

            // The page is static: what users send reaches it only through /status, which its script writes
            // as text (StatusPageBrowserTest in turn-server-app shows it rendered).
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).doesNotContain("alert(").doesNotContain("hostile");
            assertThat(new ObjectMapper().readTree(json.body()).at("/allocations/0/username").asText())
                    .isEqualTo(HOSTILE);
        }
    }

    @Test
    void unknownPathsAre404AndOtherMethods405() throws Exception {
        for (String path : new String[] {"/", "/metrics/", "/status.json", "/admin"}) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(get("/metrics?format=text").statusCode()).isEqualTo(200);
        for (String method : new String[] {"POST", "PUT", "DELETE", "HEAD"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/metrics"))
                    .method(method, HttpRequest.BodyPublishers.ofString(method.equals("POST") ? "x=1" : ""))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(r.headers().firstValue("allow")).hasValue("GET");
        }
    }

    @Test
    void aBusyAddressFailsTheStart() {
        TurnServerBuilder second = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(31910, 31919)
                .user("alice", "alice-secret").noTls().admin(server.adminAddress());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> second.build().start())
                .hasMessageContaining("cannot bind admin");
    }

    private PrometheusExposition metrics() throws Exception {
        return metrics(server);
    }

    private PrometheusExposition metrics(TurnServer of) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://" + FiveTuple.format(of.adminAddress()) + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return PrometheusExposition.parse(r.body());
    }

    private PrometheusExposition awaitMetric(String series, double value) throws Exception {
        return awaitMetric(server, series, value);
    }

    /** Scrapes until {@code series} reaches {@code value}, for effects with nothing to wait on; at most 5 s. */
    private PrometheusExposition awaitMetric(TurnServer of, String series, double value) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        PrometheusExposition m = metrics(of);
        for (int i = 0; i < 100 && m.value(series) < value && System.nanoTime() < deadline; i++) {
            Thread.sleep(50);
            m = metrics(of);
        }
        assertThat(m.value(series)).as(series).isEqualTo(value);
        return m;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://" + FiveTuple.format(server.adminAddress()) + path);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
