package dev.turnlab.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnlab.codec.StunClass;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.support.BlockingClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live status page over real HTTP on loopback: the admin listener serves its HTML, script and style sheet
 * from turn-server's resources with their media types and a policy that runs scripts from this origin only;
 * the page has no inline code and its script writes no HTML; and /status has every field the script reads.
 * The page running in a browser is StatusPageBrowserTest in turn-server-app.
 */
class StatusPageTest {

    /** What the page's script reads from /status, as JSON pointers into it after one allocation. */
    private static final List<String> READ = List.of("/time", "/version", "/realm", "/profile", "/uptimeSeconds",
            "/draining", "/faults", "/relay/portMin", "/relay/portMax", "/relay/portsInUse", "/relay/portsFree",
            "/totals/allocationsActive", "/totals/relayed/packetsToPeer", "/totals/relayed/bytesToPeer",
            "/totals/relayed/packetsToClient", "/totals/relayed/bytesToClient", "/allocations/0/id",
            "/allocations/0/username", "/allocations/0/transport", "/allocations/0/client", "/allocations/0/server",
            "/allocations/0/relayed", "/allocations/0/created", "/allocations/0/expires", "/allocations/0/permissions",
            "/allocations/0/channels", "/allocations/0/traffic/packetsToPeer", "/allocations/0/traffic/bytesToPeer",
            "/allocations/0/traffic/packetsToClient", "/allocations/0/traffic/bytesToClient");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private TurnServer server;

    @BeforeEach
    void start() {
        server = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(31920, 31929)
                .user("alice", "alice-secret").noTls().admin("127.0.0.1:0").build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesThePageWithAPolicyThatRunsOnlyItsOwnScript() throws Exception {
        HttpResponse<String> page = get("/status.html");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        String policy = page.headers().firstValue("content-security-policy").orElseThrow();
        assertThat(policy).contains("default-src 'none'", "script-src 'self'", "style-src 'self'",
                "connect-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("cache-control")).hasValue("no-store");
        // The policy would block inline code, so the page must have none: every script is a file of its own.
        assertThat(page.body()).contains("<script src=\"status.js\" defer></script>",
                "<link rel=\"stylesheet\" href=\"status.css\">");
        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(page.body()).find()).isFalse();
        assertThat(Pattern.compile("\\son[a-z]+=|\\sstyle=|javascript:", Pattern.CASE_INSENSITIVE)
                .matcher(page.body()).find()).isFalse();
    }

    @Test
    void servesTheScriptAndStyleSheetWithTheirMediaTypes() throws Exception {
        HttpResponse<String> script = get("/status.js");
        HttpResponse<String> style = get("/status.css");

        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(script.body()).contains("fetch('status'", "turnlab-admin-token", "'Bearer '");
        assertThat(style.statusCode()).isEqualTo(200);
        assertThat(style.headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
        assertThat(style.body()).contains("table-layout: fixed");
    }

    @Test
    void theScriptWritesValuesAsTextNeverAsHtml() throws Exception {
        String script = get("/status.js").body();

        assertThat(script).contains("textContent");
        for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                "new Function", "setTimeout('", "setInterval(")) {
            assertThat(script).as(sink).doesNotContain(sink);
        }
    }

    @Test
    void statusHasEveryFieldThePageReads() throws Exception {
        String script = get("/status.js").body();
        try (BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            assertThat(alice.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

            JsonNode status = new ObjectMapper().readTree(get("/status").body());

            for (String pointer : READ) {
                assertThat(status.at(pointer).isMissingNode()).as(pointer).isFalse();
                String field = pointer.substring(pointer.lastIndexOf('/') + 1);
                assertThat(script).as("the script reads " + field).contains("." + field);
            }
            // Optional figures the page shows when present and as "—" otherwise: the TLS certificate (none here)
            // and the peak of allocations.
            assertThat(status.has("tls")).isFalse();
            assertThat(script).contains("s.tls", "t.allocationsPeak");
        }
    }

    @Test
    void theFilesAreReadOnly() throws Exception {
        for (String path : List.of("/status.html", "/status.js", "/status.css")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(405);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://" + FiveTuple.format(server.adminAddress()) + path);
    }
}
