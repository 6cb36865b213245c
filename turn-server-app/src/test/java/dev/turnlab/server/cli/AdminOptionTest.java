package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
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
import org.junit.jupiter.api.io.TempDir;

/** {@code --admin ADDR:PORT}: one clear line and status 2 when malformed; the banner names the endpoints. */
class AdminOptionTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), new CountDownLatch(0));
    }

    @Test
    void aBadAdminAddressIsOneLineAndStatus2() {
        String[] bad = {"9641", "127.0.0.1", "127.0.0.1:", ":9641", "127.0.0.1:99999", "127.0.0.1:http",
                "::1:9641", "[::1:9641", "no.such.host.invalid:9641"};
        for (String value : bad) {
            assertThat(run("--admin", value)).as(value).isEqualTo(2);
        }
        assertThat(err.toString().lines()).hasSize(bad.length).allSatisfy(l -> assertThat(l)
                .startsWith("turn-server: admin: ").endsWith(" (expected: ADDR:PORT, e.g. 127.0.0.1:9641)"));
        assertThat(err.toString()).startsWith("turn-server: admin: 9641 (expected: ADDR:PORT, e.g. 127.0.0.1:9641)");
    }

    @Test
    void helpListsTheOption() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--admin=ADDR:PORT");
    }

    @Test
    void theConfigFileTurnsItOnAndTheBannerNamesIt() throws Exception {
        Path conf = dir.resolve("turn.conf");
        Files.writeString(conf, "listen=127.0.0.1\nport=0\nno-tls\nrelay-ports=31990-31999\nuser=alice:secret\n"
                + "admin=127.0.0.1:0\n");
        CountDownLatch stop = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> status = executor.submit(() -> Main.run(new String[] {"--config", conf.toString()},
                    new PrintWriter(out, true), new PrintWriter(err, true), stop));
            Matcher admin = await(Pattern.compile("Admin: http://127\\.0\\.0\\.1:(\\d+)/status\\.html"));
            HttpResponse<String> metrics = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.group(1) + "/metrics"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("turnlab_allocations_active 0\n");
            stop.countDown();
            assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
        } finally {
            stop.countDown();
            executor.shutdownNow();
        }
    }

    private Matcher await(Pattern pattern) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Matcher m = pattern.matcher(out.toString());
            if (m.find()) {
                return m;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no banner; out=" + out + " err=" + err);
    }
}
