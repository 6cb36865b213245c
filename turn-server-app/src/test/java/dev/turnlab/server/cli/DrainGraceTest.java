package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.TurnClient;
import dev.turnlab.client.TurnResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --drain-grace} in a real process: the first SIGTERM drains (new allocations refused with 508, there
 * being no alternate; existing ones live on) and the server stops once the last allocation has ended; a
 * second SIGTERM stops it at once.
 */
class DrainGraceTest {

    private static final Pattern LISTENING = Pattern.compile("listening: udp 127\\.0\\.0\\.1:(\\d+)");

    private final StringBuffer output = new StringBuffer();
    private Process server;
    private Thread reader;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.toHandle().destroyForcibly();
        }
        if (reader != null) {
            reader.join(10_000);
        }
    }

    @Test
    void sigtermDrainsAndStopsWhenTheLastAllocationHasEnded() throws Exception {
        InetSocketAddress listener = start("32670-32679");
        TurnClient staying = client(listener);
        try (TurnClient newcomer = client(listener)) {
            assertThat(staying.allocate().join().isSuccess()).isTrue();

            server.toHandle().destroy(); // SIGTERM
            awaitOutput("SIGTERM: draining for up to 1m with 1 allocations");

            TurnResult<?> refused = newcomer.allocate().join();
            assertThat(refused.error()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(508));
            assertThat(staying.refresh(Duration.ofMinutes(5)).join().isSuccess()).isTrue();
            assertThat(server.isAlive()).isTrue();
        }
        staying.close(); // Refresh with LIFETIME 0: the last allocation ends
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("exited; output:%n%s", output).isTrue();
        assertThat(server.exitValue()).isZero();
        reader.join(10_000);
        assertThat(output.toString()).contains("draining started: new allocations are refused with 508")
                .contains("draining done: no allocation left, stopping").contains("TURN server stopped");
    }

    @Test
    void aSecondSigtermStopsAtOnce() throws Exception {
        InetSocketAddress listener = start("32680-32689");
        try (TurnClient staying = client(listener)) {
            assertThat(staying.allocate().join().isSuccess()).isTrue();
            server.toHandle().destroy();
            awaitOutput("SIGTERM: draining");
            server.toHandle().destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("exited; output:%n%s", output).isTrue();
        }
        reader.join(10_000);
        assertThat(output.toString()).contains("SIGTERM again: stopping now with 1 allocations")
                .doesNotContain("draining done");
    }

    private InetSocketAddress start(String relayPorts) throws Exception {
        Path logging = Path.of("src/main/shade/logback.xml").toAbsolutePath();
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=" + logging,
                Main.class.getName(), "--listen", "127.0.0.1", "--port", "0", "--no-tls", "--no-tcp",
                "--relay-ports", relayPorts, "--user", "alice:alice-secret", "--drain-grace", "1m")
                .redirectErrorStream(true).start();
        reader = new Thread(this::read, "server-output");
        reader.start();
        Matcher m = LISTENING.matcher(awaitOutput("listening: udp 127.0.0.1:"));
        assertThat(m.find()).isTrue();
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
    }

    private static TurnClient client(InetSocketAddress server) {
        return TurnClient.builder().server(server).credentials("alice", "alice-secret").build();
    }

    /** The output so far, once it contains {@code text} (at most 60 s). */
    private String awaitOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String now = output.toString();
            if (now.contains(text)) {
                return now;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no \"" + text + "\" within 60 s; output:\n" + output);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                output.append(line).append('\n');
            }
        } catch (IOException e) {
            output.append("(output unreadable: ").append(e).append(")\n");
        }
    }
}
