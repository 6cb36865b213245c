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
import java.nio.file.attribute.PosixFilePermissions;
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

/**
 * {@code --admin ADDR:PORT} and its token ({@code --admin-token-file}, {@code --admin-token-env}): one clear
 * line and status 2 when malformed, unsafe or missing; the banner names the endpoints and whether a token guards them.
 */
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
        assertThat(out.toString()).contains("--admin=ADDR:PORT", "--admin-token-file=FILE", "--admin-token-env=NAME");
    }

    @Test
    void aNonLoopbackAdminAddressWithoutATokenIsOneLineAndStatus2() {
        assertThat(run("--listen", "127.0.0.1", "--user", "alice:secret", "--admin", "0.0.0.0:9641")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("turn-server: admin: 0.0.0.0:9641 without a token (expected: a loopback "
                + "address such as 127.0.0.1, or a token: --admin-token-file or --admin-token-env)\n");
    }

    @Test
    void aTokenFileOthersMayReadIsOneLineAndStatus2() throws Exception {
        Path token = dir.resolve("admin.token");
        Files.writeString(token, "8f1c2e9a7b3d4c5e6f708192a3b4c5d6\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(run("--listen", "127.0.0.1", "--user", "alice:secret", "--admin", "0.0.0.0:9641",
                "--admin-token-file", token.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("turn-server: admin-token-file: " + token
                + " is readable by group or others (expected: chmod 600 " + token + ")\n");
    }

    @Test
    void anUnsetTokenVariableIsOneLineAndStatus2() {
        assertThat(run("--listen", "127.0.0.1", "--user", "alice:secret", "--admin", "127.0.0.1:0",
                "--admin-token-env", "TURNLAB_TEST_NO_SUCH_VARIABLE")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("turn-server: admin-token-env: TURNLAB_TEST_NO_SUCH_VARIABLE is not set "
                + "(expected: the variable holding the admin token)\n");
    }

    @Test
    void aTokenFromAFileGuardsTheAdminListener() throws Exception {
        Path token = dir.resolve("admin.token");
        Files.writeString(token, "8f1c2e9a7b3d4c5e6f708192a3b4c5d6\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Path conf = dir.resolve("turn.conf");
        Files.writeString(conf, "listen=127.0.0.1\nport=0\nno-tls\nrelay-ports=32980-32989\nuser=alice:secret\n"
                + "admin=127.0.0.1:0\nadmin-token-file=" + token + "\n");
        CountDownLatch stop = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> status = executor.submit(() -> Main.run(new String[] {"--config", conf.toString()},
                    new PrintWriter(out, true), new PrintWriter(err, true), stop));
            Matcher admin = await(Pattern.compile("Admin: http://127\\.0\\.0\\.1:(\\d+)/status\\.html.*\\(bearer token\\)"));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI metrics = URI.create("http://127.0.0.1:" + admin.group(1) + "/metrics");
            assertThat(http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            assertThat(http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer 8f1c2e9a7b3d4c5e6f708192a3b4c5d6").build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            stop.countDown();
            assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
        } finally {
            stop.countDown();
            executor.shutdownNow();
        }
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
            Matcher admin = await(Pattern.compile("Admin: http://127\\.0\\.0\\.1:(\\d+)/status\\.html.*"
                    + "\\(admin API without a token: loopback only\\)"));
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
