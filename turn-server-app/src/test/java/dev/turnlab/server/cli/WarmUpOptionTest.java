package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.turnlab.client.TurnClient;
import dev.turnlab.testing.tools.CapturedLog;
import dev.turnlab.testing.tools.FreePorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --warm-up} (config-file key {@code warm-up}, {@code --no-warm-up} to turn it off): the warm-up runs
 * before the real server binds, the real server counts none of it and serves as it would without.
 */
class WarmUpOptionTest {

    private static final Pattern BANNER = Pattern.compile("turn-server listening: udp 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern ADMIN = Pattern.compile("Admin: http://127\\.0\\.0\\.1:(\\d+)/status\\.html");

    @TempDir
    Path dir;
    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void theConfigFileKeyWarmsUpBeforeTheServerListensWhichThenCountsNoneOfItAndServes() throws Exception {
        FreePorts.Block relays = FreePorts.udpBlock(20);
        Path conf = dir.resolve("turn.conf");
        Files.writeString(conf, "listen=127.0.0.1\nport=0\nno-tls\nrelay-ports=" + relays.min() + "-" + relays.max()
                + "\nuser=alice:secret\nadmin=127.0.0.1:0\nwarm-up\nwarm-up-limit=1s\n");

        serve(new String[] {"--config", conf.toString()}, () -> {
            assertThat(log.lines()).filteredOn(l -> l.startsWith("TURN warm-up") || l.startsWith("TURN server started"))
                    .satisfiesExactly(l -> assertThat(l).matches("TURN warm-up done in \\d+ ms: [1-9]\\d* sessions, .*"),
                            l -> assertThat(l).startsWith("TURN server started"));
            assertThat(log.linesAtLeast(Level.WARN)).isEmpty();
            assertThat(metrics()).contains("turnlab_allocations_created_total 0\n")
                    .contains("turnlab_requests_total{method=\"allocate\"} 0\n")
                    .contains("turnlab_relayed_packets_total{direction=\"client_to_peer\"} 0\n");

            int port = Integer.parseInt(await(BANNER).group(1));
            try (TurnClient client = TurnClient.builder().server(new InetSocketAddress("127.0.0.1", port))
                    .credentials("alice", "secret").build()) {
                assertThat(client.allocate().get(30, TimeUnit.SECONDS).isSuccess()).isTrue();
            }
            assertThat(metrics()).contains("turnlab_allocations_created_total 1\n");
        });
    }

    @Test
    void noWarmUpOnTheCommandLineWinsOverTheConfigFile() throws Exception {
        Path conf = dir.resolve("turn.conf");
        Files.writeString(conf, "warm-up\n");

        serve(new String[] {"--config", conf.toString(), "--listen", "127.0.0.1", "--port", "0", "--no-tls",
                "--relay-ports", relayPorts(), "--user", "alice:secret", "--admin", "127.0.0.1:0", "--no-warm-up"},
                () -> assertThat(log.lines()).noneMatch(l -> l.startsWith("TURN warm-up")));
    }

    @Test
    void aLimitUnderASecondIsABadOption() {
        int status = Main.run(new String[] {"--listen", "127.0.0.1", "--port", "0", "--no-tls", "--user", "a:b",
                "--warm-up", "--warm-up-limit", "500ms"}, new PrintWriter(out, true), new PrintWriter(err, true),
                new CountDownLatch(0));

        assertThat(status).isEqualTo(Main.USAGE);
        assertThat(err.toString()).isEqualTo("turn-server: warm-up-limit: 500ms (expected: at least 1s)" + System.lineSeparator());
    }

    private static String relayPorts() throws java.io.IOException {
        FreePorts.Block relays = FreePorts.udpBlock(20);
        return relays.min() + "-" + relays.max();
    }

    /** Runs Main with {@code args} until its banner is out, checks {@code whileServing}, then stops it. */
    private void serve(String[] args, Check whileServing) throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> status = executor.submit(() -> Main.run(args, new PrintWriter(out, true),
                    new PrintWriter(err, true), stop));
            await(ADMIN);
            whileServing.run();
            stop.countDown();
            assertThat(status.get(30, TimeUnit.SECONDS)).isZero();
        } finally {
            stop.countDown();
            executor.shutdownNow();
        }
    }

    private String metrics() throws Exception {
        Matcher admin = await(ADMIN);
        HttpResponse<String> metrics = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.group(1) + "/metrics"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        return metrics.body();
    }

    /** Waits, generously (a warm-up comes first), for {@code pattern} on standard output. */
    private Matcher await(Pattern pattern) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadline < 0) {
            Matcher m = pattern.matcher(out.toString());
            if (m.find()) {
                return m;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no banner; out=" + out + " err=" + err);
    }

    private interface Check {
        void run() throws Exception;
    }
}
