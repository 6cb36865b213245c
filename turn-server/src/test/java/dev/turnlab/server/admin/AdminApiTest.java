package dev.turnlab.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnlab.codec.StunClass;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.CapturedLog;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin API over real HTTP on loopback, against a server with a bearer token and real TURN allocations:
 * who gets in, what the JSON endpoints list, show and end, what the configuration shows (never a secret),
 * and how bad requests are answered.
 */
class AdminApiTest {

    private static final String TOKEN = "8f1c2e9a7b3d4c5e6f708192a3b4c5d6";
    private static final String ALICE_PASSWORD = "alice-password-4711";
    private static final String AUTH_SECRET = "rest-api-shared-secret-0815";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private TurnServer server;
    private final List<BlockingClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        server = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(31700, 31709)
                .user("alice", ALICE_PASSWORD).user("bob", "bob-password-0042").authSecret(AUTH_SECRET)
                .noTls().ioThreads(2).admin("127.0.0.1:0").adminToken(AdminToken.of("test", TOKEN))
                .build().start();
    }

    @AfterEach
    void stop() throws Exception {
        for (BlockingClient c : clients) {
            c.close();
        }
        server.close();
    }

    @Test
    void everyDataOrControlEndpointAsksForTheToken() throws Exception {
        for (String path : new String[] {"/metrics", "/status", "/api/allocations", "/api/config", "/api/drain",
                "/api/faults", "/drain", "/faults", "/api/allocations/x"}) {
            HttpResponse<String> none = send("GET", path, null);
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(v ->
                    assertThat(v).startsWith("Bearer"));
            assertThat(JSON.readTree(none.body()).get("status").asInt()).isEqualTo(401);
            assertThat(send("GET", path, "Bearer not-" + TOKEN).statusCode()).as(path).isEqualTo(401);
            assertThat(send("GET", path, "Basic " + TOKEN).statusCode()).as(path).isEqualTo(401);
        }
        // Changes too: nothing switches without the token.
        assertThat(send("POST", "/api/drain", null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/drain", "Bearer wrong-token-wrong-token").statusCode()).isEqualTo(401);
        assertThat(server.draining()).isFalse();

        assertThat(send("GET", "/api/allocations", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = send("GET", "/metrics", "Bearer " + TOKEN);
        assertThat(metrics.statusCode()).isEqualTo(200);
        PrometheusExposition m = PrometheusExposition.parse(metrics.body());
        assertThat(m.value("turnlab_admin_unauthorized_total")).isEqualTo(9 * 3 + 2);
    }

    @Test
    void theStatusPageFilesNeedNoToken() throws Exception {
        assertThat(AdminAccess.isPublic("/status.html")).isTrue();
        assertThat(AdminAccess.isPublic("/status.js")).isTrue();
        assertThat(AdminAccess.isPublic("/status.css")).isTrue();
        assertThat(AdminAccess.isPublic("/status.json")).isFalse();
        assertThat(AdminAccess.isPublic("/status")).isFalse();
        for (String page : List.of("/status.html", "/status.js", "/status.css")) {
            assertThat(send("GET", page, null).statusCode()).as(page).isEqualTo(200);
        }
        // Anything else needs the token first, even a path that does not exist: nothing is told without it.
        assertThat(send("GET", "/assets/none.js", null).statusCode()).isEqualTo(401);
    }

    @Test
    void listsAllocationsFilteredAndPaged() throws Exception {
        List<InetSocketAddress> aliceRelays = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            aliceRelays.add(BlockingClient.relayed(client("alice", ALICE_PASSWORD).allocate()));
        }
        BlockingClient bob = client("bob", "bob-password-0042");
        InetSocketAddress bobRelay = BlockingClient.relayed(bob.allocate());

        JsonNode all = get("/api/allocations");
        assertThat(all.get("total").asInt()).isEqualTo(4);
        assertThat(all.get("allocations")).hasSize(4);

        JsonNode alice = get("/api/allocations?user=alice&limit=2");
        assertThat(alice.get("total").asInt()).isEqualTo(3);
        assertThat(alice.get("limit").asInt()).isEqualTo(2);
        assertThat(alice.get("allocations")).hasSize(2).allSatisfy(a -> assertThat(a.get("username").asText())
                .isEqualTo("alice"));
        JsonNode rest = get("/api/allocations?user=alice&limit=2&offset=2");
        assertThat(rest.get("allocations")).hasSize(1);

        JsonNode byClient = get("/api/allocations?client=" + FiveTuple.format(bob.localAddress()));
        assertThat(byClient.get("total").asInt()).isEqualTo(1);
        assertThat(byClient.get("allocations").get(0).get("username").asText()).isEqualTo("bob");
        JsonNode byRelay = get("/api/allocations?relayed=" + FiveTuple.format(aliceRelays.get(1)));
        assertThat(byRelay.get("total").asInt()).isEqualTo(1);
        assertThat(byRelay.get("allocations").get(0).get("relayed").get(0).asText())
                .isEqualTo(FiveTuple.format(aliceRelays.get(1)));
        assertThat(get("/api/allocations?relayed=" + FiveTuple.format(bobRelay)).get("allocations").get(0)
                .get("username").asText()).isEqualTo("bob");
    }

    @Test
    void endsOneAllocationAsCoturnsCsDoes() throws Exception {
        BlockingClient alice = client("alice", ALICE_PASSWORD);
        InetSocketAddress relayed = BlockingClient.relayed(alice.allocate());
        BlockingClient bob = client("bob", "bob-password-0042");
        bob.allocate();
        JsonNode listed = get("/api/allocations?user=alice").get("allocations").get(0);
        String id = listed.get("id").asText();

        JsonNode one = get("/api/allocations/" + id);
        assertThat(one.get("id").asText()).isEqualTo(id);
        assertThat(one.get("relayed").get(0).asText()).isEqualTo(FiveTuple.format(relayed));

        HttpResponse<String> ended = send("DELETE", "/api/allocations/" + id, "Bearer " + TOKEN);
        assertThat(ended.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ended.body()).get("ended").get("id").asText()).isEqualTo(id);

        // RFC 8656 §7.3: a Refresh for an allocation that no longer exists is 437 Allocation Mismatch.
        assertThat(BlockingClient.isError(alice.refresh(600), 437)).isTrue();
        assertThat(send("GET", "/api/allocations/" + id, "Bearer " + TOKEN).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/api/allocations/" + id, "Bearer " + TOKEN).statusCode()).isEqualTo(404);
        assertThat(get("/api/allocations").get("total").asInt()).isEqualTo(1);
        PrometheusExposition m = metrics();
        assertThat(m.value("turnlab_allocations_deleted_total{reason=\"admin\"}")).isEqualTo(1);
        assertThat(m.value("turnlab_allocations_active")).isEqualTo(1);
        assertThat(log.lines()).filteredOn(l -> l.startsWith("admin change")).singleElement().satisfies(l ->
                assertThat(l).matches("admin change what=\"allocation ended\" id=" + id
                        + " user=alice client=127\\.0\\.0\\.1:\\d+"));
        assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("TURN allocation deleted id=" + id)
                .contains("reason=\"ended by the admin API\""));
        // The relay port is free again: a new allocation on the same 5-tuple gets one.
        assertThat(alice.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    }

    @Test
    void endingATcpAllocationClosesItsConnection() throws Exception {
        BlockingClient tcp = BlockingClient.tcp(server.tcpAddress(), "alice", ALICE_PASSWORD);
        clients.add(tcp);
        assertThat(tcp.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        JsonNode a = get("/api/allocations?user=alice").get("allocations").get(0);
        assertThat(a.get("transport").asText()).isEqualTo("tcp");

        assertThat(send("DELETE", "/api/allocations/" + a.get("id").asText(), "Bearer " + TOKEN).statusCode())
                .isEqualTo(200);
        assertThat(tcp.awaitClosed(5000)).isTrue();
        PrometheusExposition m = metrics();
        assertThat(m.value("turnlab_allocations_deleted_total{reason=\"admin\"}")).isEqualTo(1);
        assertThat(m.value("turnlab_allocations_deleted_total{reason=\"connection_closed\"}")).isZero();
    }

    @Test
    void theConfigurationShowsNoSecret() throws Exception {
        HttpResponse<String> response = send("GET", "/api/config", "Bearer " + TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        String body = response.body();
        assertThat(body).doesNotContain(TOKEN, ALICE_PASSWORD, "bob-password-0042", AUTH_SECRET);
        JsonNode config = JSON.readTree(body);
        assertThat(config.at("/auth/realm").asText()).isEqualTo("turnlab");
        assertThat(config.at("/auth/authSecret").asText()).isEqualTo(ConfigJson.MASK);
        assertThat(config.at("/auth/users")).extracting(JsonNode::asText).containsExactly("alice", "bob");
        assertThat(config.at("/admin/token").asText()).isEqualTo(ConfigJson.MASK);
        // The configuration as given (port 0: ephemeral); /status shows the bound addresses.
        assertThat(config.at("/admin/address").asText()).isEqualTo("127.0.0.1:0");
        assertThat(config.at("/relay/ports/min").asInt()).isEqualTo(31700);
        assertThat(config.at("/listeners/addresses/0").asText()).isEqualTo("127.0.0.1");
        assertThat(config.at("/limits/userQuota").isNumber()).isTrue();
    }

    @Test
    void drainAndFaultsAnswerInJsonAndLogTheChange() throws Exception {
        assertThat(get("/api/drain").get("draining").asBoolean()).isFalse();
        HttpResponse<String> on = send("POST", "/api/drain", "Bearer " + TOKEN);
        assertThat(JSON.readTree(on.body()).get("draining").asBoolean()).isTrue();
        assertThat(server.draining()).isTrue();
        assertThat(JSON.readTree(send("DELETE", "/api/drain", "Bearer " + TOKEN).body()).get("draining").asBoolean())
                .isFalse();
        assertThat(log.lines()).filteredOn(l -> l.startsWith("admin change")).hasSize(2).allSatisfy(l ->
                assertThat(l).matches("admin change what=\"draining (on|off)\" client=127\\.0\\.0\\.1:\\d+"));

        HttpResponse<String> loss = post("/api/faults", "loss=5\n");
        assertThat(loss.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(loss.body()).get("faults")).extracting(JsonNode::asText).containsExactly("loss=5");
        assertThat(get("/api/faults").get("faults")).extracting(JsonNode::asText).containsExactly("loss=5");
        HttpResponse<String> bad = post("/api/faults", "no-such-fault\n");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("error").asText()).contains("no-such-fault");
        assertThat(JSON.readTree(send("DELETE", "/api/faults/loss", "Bearer " + TOKEN).body()).get("faults")).isEmpty();
        assertThat(send("PUT", "/api/faults", "Bearer " + TOKEN).statusCode()).isEqualTo(405);
        // No TLS listener: nothing to reload, said as JSON.
        HttpResponse<String> reload = send("POST", "/api/tls/reload", "Bearer " + TOKEN);
        assertThat(reload.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(reload.body()).get("status").asInt()).isEqualTo(409);
    }

    @Test
    void badRequestsGetAReasonNeverAStackTrace() throws Exception {
        HttpResponse<String> unknown = send("GET", "/api/allocations/no-such-id", "Bearer " + TOKEN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).startsWith("no allocation no-such-id");

        HttpResponse<String> badLimit = send("GET", "/api/allocations?limit=lots", "Bearer " + TOKEN);
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(badLimit.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(JSON.readTree(badLimit.body()).get("error").asText())
                .isEqualTo("limit: lots (expected: an integer 1-1000)");
        assertThat(send("GET", "/api/allocations?client=turn.example.com", "Bearer " + TOKEN).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/api/allocations?sort=user", "Bearer " + TOKEN).statusCode()).isEqualTo(400);

        HttpResponse<String> wrongMethod = send("POST", "/api/allocations", "Bearer " + TOKEN);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET");
        assertThat(send("PUT", "/api/allocations/x", "Bearer " + TOKEN).headers().firstValue("Allow"))
                .hasValue("GET, DELETE");
        assertThat(send("DELETE", "/api/config", "Bearer " + TOKEN).statusCode()).isEqualTo(405);
        assertThat(send("GET", "/api/nothing", "Bearer " + TOKEN).statusCode()).isEqualTo(404);

        // A body beyond the admin listener's limit is refused before it is read whole.
        HttpResponse<String> oversize = http.send(HttpRequest.newBuilder(uri("/api/faults"))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("loss=5\n".repeat(10_000))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(oversize.statusCode()).isEqualTo(413);
        assertThat(server.faults().current().settings()).isEmpty();

        for (HttpResponse<String> r : List.of(unknown, badLimit, wrongMethod, oversize)) {
            assertThat(r.body()).doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void aNonLoopbackAdminAddressNeedsAToken() {
        assertThatThrownBy(() -> TurnServer.builder().listen("127.0.0.1").port(0).user("alice", ALICE_PASSWORD)
                .admin("0.0.0.0:9641").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("admin: 0.0.0.0:9641 without a token (expected: a loopback address such as 127.0.0.1, or a "
                        + "token: --admin-token-file or --admin-token-env)");
        assertThat(TurnServer.builder().listen("127.0.0.1").port(0).user("alice", ALICE_PASSWORD).admin("0.0.0.0:9641")
                .adminToken(AdminToken.of("test", TOKEN)).build().config().admin().hasToken()).isTrue();
        assertThat(TurnServer.builder().listen("127.0.0.1").port(0).user("alice", ALICE_PASSWORD).admin("[::1]:9641")
                .build().config().admin().hasToken()).isFalse();
        assertThatThrownBy(() -> TurnServer.builder().listen("127.0.0.1").port(0).user("alice", ALICE_PASSWORD)
                .adminToken(AdminToken.of("test", TOKEN)).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("adminToken: set without an admin listener");
    }

    @Test
    void withoutATokenTheStartLineSaysLoopbackOnly() {
        try (TurnServer open = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(31710, 31719)
                .user("alice", ALICE_PASSWORD).noTls().admin("127.0.0.1:0").build().start()) {
            assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("TURN server started")
                    .endsWith("(admin API without a token: loopback only)"));
        }
    }

    private BlockingClient client(String user, String password) throws Exception {
        BlockingClient c = BlockingClient.udp(server.udpAddress(), user, password);
        clients.add(c);
        return c;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send("GET", path, "Bearer " + TOKEN);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private PrometheusExposition metrics() throws Exception {
        return PrometheusExposition.parse(send("GET", "/metrics", "Bearer " + TOKEN).body());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://" + FiveTuple.format(server.adminAddress()) + path);
    }
}
