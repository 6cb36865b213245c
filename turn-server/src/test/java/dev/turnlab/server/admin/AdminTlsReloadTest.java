package dev.turnlab.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.support.TlsHandshake;
import dev.turnlab.testing.tools.TestCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /tls/reload} over real HTTP on loopback: 200 and the new certificate for a good pair of files, 409
 * and the old one for a bad file; /metrics and /status show the certificate's expiry and the reloads.
 */
class AdminTlsReloadTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private TurnServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void postReloadsAndMetricsShowTheExpiry(@TempDir Path dir) throws Exception {
        TestCertificate first = TestCertificate.generate("first.turnlab.test", Duration.ofDays(30));
        TestCertificate second = TestCertificate.generate("second.turnlab.test", Duration.ofDays(90));
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        first.write(cert, key);
        server = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(31930, 31939).user("alice", "alice-secret")
                .tlsPort(0).tlsCertificate(cert, key).tlsReloadInterval(Duration.ZERO).ioThreads(1)
                .admin("127.0.0.1:0").build().start();
        assertThat(metrics().value("turnlab_tls_certificate_expiry_seconds"))
                .isEqualTo(first.certificate().getNotAfter().getTime() / 1000.0);

        second.write(cert, key);
        HttpResponse<String> reloaded = send("POST", "/tls/reload");

        assertThat(reloaded.statusCode()).isEqualTo(200);
        assertThat(reloaded.body()).isEqualTo("reloaded: CN=second.turnlab.test, expires "
                + second.certificate().getNotAfter().toInstant() + "\n");
        assertThat(TlsHandshake.certificate(server.tlsAddress())).isEqualTo(second.certificate());
        PrometheusExposition m = metrics();
        assertThat(m.value("turnlab_tls_certificate_expiry_seconds"))
                .isEqualTo(second.certificate().getNotAfter().getTime() / 1000.0);
        assertThat(m.value("turnlab_tls_reloads_total")).isEqualTo(1);
        assertThat(m.value("turnlab_tls_reload_failures_total")).isZero();

        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n");
        HttpResponse<String> refused = send("POST", "/tls/reload");

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).startsWith("failed: " + key + ": no PEM private key");
        assertThat(metrics().value("turnlab_tls_reload_failures_total")).isEqualTo(1);
        JsonNode tls = new ObjectMapper().readTree(send("GET", "/status").body()).get("tls");
        assertThat(tls.get("subject").asText()).isEqualTo("CN=second.turnlab.test");
        assertThat(tls.get("reloadFailures").asLong()).isEqualTo(1);
        assertThat(send("GET", "/tls/reload").statusCode()).isEqualTo(405);
    }

    @Test
    void withoutTlsThereIsNothingToReload() throws Exception {
        server = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(31930, 31939).user("alice", "alice-secret")
                .noTls().ioThreads(1).admin("127.0.0.1:0").build().start();

        HttpResponse<String> r = send("POST", "/tls/reload");

        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).isEqualTo("no tls: the server has no TLS listener\n");
        assertThat(metrics().types()).doesNotContainKey("turnlab_tls_certificate_expiry_seconds").containsKey("turnlab_tls_reloads_total");
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
