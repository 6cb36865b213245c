package dev.turnlab.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnlab.server.TurnServer;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.Peer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real server's {@code /metrics}, after real traffic, piped into Prometheus's own checker
 * ({@code promtool check metrics}, Debian's {@code prometheus} package, which {@code .ci/run} installs):
 * it exits 0 and prints no lint warning. Skipped, saying so, where promtool is not installed.
 */
class PromtoolCheckTest {

    @Test
    void promtoolFindsNothingToSay() throws Exception {
        String promtool = onPath("promtool");
        assumeTrue(promtool != null, "promtool is not installed (apt-get install prometheus; .ci/run does)");
        try (TurnServer server = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(31750, 31759)
                .user("alice", "alice-secret").allowLoopbackPeers(true).noTls().admin("127.0.0.1:0").build().start();
                BlockingClient alice = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient intruder = BlockingClient.udp(server.udpAddress(), "alice", "wrong");
                Peer peer = new Peer()) {
            // Traffic, so that labelled families and the histograms have samples.
            alice.allocate();
            intruder.allocate();
            alice.createPermission(peer.address());
            alice.channelBind(0x4000, peer.address());
            for (int i = 0; i < 64; i++) {
                alice.sendChannelData(0x4000, new byte[20]);
                assertThat(peer.receive(5000)).isNotNull();
            }
            HttpResponse<byte[]> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + FiveTuple.format(server.adminAddress()) + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(metrics.statusCode()).isEqualTo(200);

            Process check = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
            try (OutputStream in = check.getOutputStream()) {
                in.write(metrics.body());
            }
            String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
            assertThat(said).as("promtool's lint warnings").isEmpty();
            assertThat(check.exitValue()).isZero();
        }
    }

    /** The path of {@code name} on the PATH, or null. */
    private static String onPath(String name) throws IOException {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.isFile() && f.canExecute()) {
                return f.getCanonicalPath();
            }
        }
        return null;
    }
}
