package dev.turnlab.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.testing.tools.CapturedLog;
import dev.turnlab.server.support.BlockingClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /faults} over real HTTP on loopback: POST switches faults on, GET lists them, DELETE switches
 * them off; a bad line is 400 with the reason and changes nothing; /metrics and /status show what is on
 * (the status page draws /status's list: StatusPageBrowserTest in turn-server-app); every change is one INFO line naming the admin client.
 */
class AdminFaultsTest {

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private TurnServer server;

    @BeforeEach
    void start() {
        server = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(31910, 31919)
                .user("alice", "alice-secret").noTls().ioThreads(1).admin("127.0.0.1:0").build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void postListsGetsAndDeletesFaultsAndLogsEachChangeWithItsOrigin() throws Exception {
        assertThat(send("GET", "/faults", null).body()).isEmpty();

        HttpResponse<String> on = send("POST", "/faults", "loss=5\n# a comment\nstall\n");
        assertThat(on.statusCode()).isEqualTo(200);
        assertThat(on.body()).isEqualTo("stall\nloss=5\n");
        assertThat(send("GET", "/faults", null).body()).isEqualTo("stall\nloss=5\n");
        assertThat(send("GET", "/faults/loss", null).body()).isEqualTo("loss=5\n");
        assertThat(send("GET", "/faults/delay", null).statusCode()).isEqualTo(404);

        HttpResponse<String> changed = send("POST", "/faults", "loss=7.5");
        assertThat(changed.body()).isEqualTo("stall\nloss=7.5\n");

        HttpResponse<String> off = send("DELETE", "/faults/stall", null);
        assertThat(off.statusCode()).isEqualTo(200);
        assertThat(off.body()).isEqualTo("loss=7.5\n");
        assertThat(send("DELETE", "/faults", null).body()).isEmpty();

        assertThat(log.lines()).filteredOn(l -> l.startsWith("fault ")).hasSize(5).allSatisfy(l ->
                assertThat(l).matches(".* \\(from admin 127\\.0\\.0\\.1:\\d+\\)"));
        assertThat(log.lines()).filteredOn(l -> l.startsWith("fault ")).extracting(l -> l.replaceAll(" \\(from.*", ""))
                .containsExactly("fault on: stall", "fault on: loss=5", "fault changed: loss=5 -> loss=7.5",
                        "fault off: stall", "fault off: loss=7.5");
    }

    @Test
    void aBadLineIs400WithTheReasonAndSwitchesNothingOn() throws Exception {
        HttpResponse<String> bad = send("POST", "/faults", "stall\nloss=150\n");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("fault: loss=150 (expected: loss=PERCENT, more than 0 and at most 100)\n");
        assertThat(send("POST", "/faults", "meltdown").body()).startsWith("fault: meltdown (expected: one of stall, ");
        assertThat(send("POST", "/faults", "").statusCode()).isEqualTo(400);
        assertThat(send("DELETE", "/faults/meltdown", null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/faults", null).body()).isEmpty();
        assertThat(server.faults().current().isEmpty()).isTrue();

        HttpResponse<String> put = send("PUT", "/faults", "stall");
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET, POST, DELETE");
    }

    @Test
    void metricsStatusAndThePageShowWhatIsOn() throws Exception {
        send("POST", "/faults", "block-relay=both\nanswer=431");

        PrometheusExposition metrics = PrometheusExposition.parse(send("GET", "/metrics", null).body());
        assertThat(metrics.value("turnlab_faults_active{fault=\"block-relay\"}")).isEqualTo(1);
        assertThat(metrics.value("turnlab_faults_active{fault=\"answer\"}")).isEqualTo(1);
        assertThat(metrics.value("turnlab_faults_active{fault=\"stall\"}")).isZero();
        assertThat(metrics.value("turnlab_fault_dropped_packets_total{reason=\"block_relay\"}")).isZero();

        JsonNode status = new ObjectMapper().readTree(send("GET", "/status", null).body());
        assertThat(status.get("faults").toString()).isEqualTo("[\"block-relay=both\",\"answer=431\"]");

        send("DELETE", "/faults", null);
        metrics = PrometheusExposition.parse(send("GET", "/metrics", null).body());
        assertThat(metrics.value("turnlab_faults_active{fault=\"block-relay\"}")).isZero();
        assertThat(new ObjectMapper().readTree(send("GET", "/status", null).body()).get("faults").size()).isZero();
    }

    @Test
    void stallCountsTheRequestsItLeftUnanswered() throws Exception {
        send("POST", "/faults", "stall");
        try (BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            client.sendRaw(BlockingClient.encode(StunMessage.request(Method.BINDING).build()));
            assertThat(client.receiveRaw(400)).isNull();
            send("DELETE", "/faults/stall", null);
            assertThat(client.exchange(StunMessage.request(Method.BINDING).build()).stunClass())
                    .isEqualTo(StunClass.SUCCESS_RESPONSE);
        }
        PrometheusExposition metrics = PrometheusExposition.parse(send("GET", "/metrics", null).body());
        assertThat(metrics.value("turnlab_fault_dropped_packets_total{reason=\"stall\"}")).isEqualTo(1);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + FiveTuple.format(server.adminAddress()) + path))
                .timeout(Duration.ofSeconds(5));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
