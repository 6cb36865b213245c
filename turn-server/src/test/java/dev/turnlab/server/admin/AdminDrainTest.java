package dev.turnlab.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.AlternateServer;
import dev.turnlab.codec.attribute.ErrorCode;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /drain} over real HTTP on loopback: POST starts draining, DELETE ends it, GET tells; /metrics and
 * /status show it, and each change is one INFO line naming the admin client.
 */
class AdminDrainTest {

    private static final InetSocketAddress ALTERNATE = new InetSocketAddress("192.0.2.5", 3478);

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private TurnServer server;

    @BeforeEach
    void start() {
        server = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(31920, 31929)
                .user("alice", "alice-secret").noTls().ioThreads(1).admin("127.0.0.1:0")
                .alternateServer(ALTERNATE).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void postDrainsDeleteResumesAndBothShow() throws Exception {
        assertThat(send("GET", "/drain").body()).isEqualTo("not draining\n");
        assertThat(metrics().value("turnlab_draining")).isZero();

        HttpResponse<String> on = send("POST", "/drain");
        assertThat(on.statusCode()).isEqualTo(200);
        assertThat(on.body()).isEqualTo("draining\n");
        assertThat(server.draining()).isTrue();
        try (BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            StunMessage redirected = alice.allocate();
            assertThat(redirected.get(ErrorCode.class).code()).isEqualTo(300);
            assertThat(redirected.get(AlternateServer.class).address()).isEqualTo(ALTERNATE);
        }
        PrometheusExposition m = metrics();
        assertThat(m.value("turnlab_draining")).isEqualTo(1);
        assertThat(m.value("turnlab_alternate_redirects_total{reason=\"draining\"}")).isEqualTo(1);
        assertThat(m.value("turnlab_alternate_redirects_total{reason=\"full\"}")).isZero();
        JsonNode status = new ObjectMapper().readTree(send("GET", "/status").body());
        assertThat(status.get("draining").asBoolean()).isTrue();
        assertThat(status.get("alternateRedirects").get("draining").asLong()).isEqualTo(1);

        assertThat(send("DELETE", "/drain").body()).isEqualTo("not draining\n");
        assertThat(server.draining()).isFalse();
        assertThat(metrics().value("turnlab_draining")).isZero();
        assertThat(log.lines()).filteredOn(l -> l.startsWith("admin ")).hasSize(2)
                .allSatisfy(l -> assertThat(l).matches("admin change what=\"draining (on|off)\" client=127\\.0\\.0\\.1:\\d+"));
        assertThat(send("PUT", "/drain").statusCode()).isEqualTo(405);
    }

    private PrometheusExposition metrics() throws Exception {
        return PrometheusExposition.parse(send("GET", "/metrics").body());
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + FiveTuple.format(server.adminAddress()) + path))
                .timeout(Duration.ofSeconds(5)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
