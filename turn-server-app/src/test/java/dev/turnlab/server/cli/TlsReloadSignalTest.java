package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnlab.client.Transport;
import dev.turnlab.client.TurnClient;
import dev.turnlab.testing.tools.TestCertificate;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP in a real process reloads the TLS certificate from its files: the next connection gets the new one,
 * a TLS allocation made before lives on, and the process keeps running (the JVM's default is to exit).
 */
class TlsReloadSignalTest {

    private static final Pattern LISTENING = Pattern.compile("listening: udp [^,]+, tcp [^,]+, tls 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

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
    void sighupServesTheRenewedCertificateAndKeepsTheAllocations() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kill")) || Files.isExecutable(Path.of("/bin/kill")),
                "no kill command to send SIGHUP with (not a Unix host)");
        TestCertificate first = TestCertificate.generate("first.turnlab.test", Duration.ofDays(30));
        TestCertificate second = TestCertificate.generate("second.turnlab.test", Duration.ofDays(90));
        Path cert = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        first.write(cert, key);
        Path log = dir.resolve("turn.log");
        InetSocketAddress tls = start(cert, key, "--log-file", log.toString());
        try (TurnClient before = TurnClient.builder().server(tls).transport(Transport.TLS)
                .sslContext(SslContextBuilder.forClient().trustManager(first.certificate()).build())
                .credentials("alice", "alice-secret").build()) {
            assertThat(before.allocate().join().isSuccess()).isTrue();

            second.write(cert, key);
            hangUp();
            awaitOutput("TLS certificate reloaded from " + cert + ": CN=second.turnlab.test expires");

            assertThat(certificateOf(tls)).isEqualTo(second.certificate());
            // logrotate's way without copytruncate: the file is moved away, SIGHUP makes a new one.
            Path rotated = dir.resolve("turn.log.1");
            Files.move(log, rotated);
            int seen = output.length(); // the first SIGHUP reopened the file too: wait for the second's line
            hangUp();
            awaitOutput(seen, "log file reopened: " + log);
            assertThat(Files.readString(rotated, StandardCharsets.UTF_8)).contains("TLS certificate reloaded from " + cert);
            assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("log file reopened: " + log)
                    .doesNotContain("TLS certificate reloaded from " + cert + ": CN=second");
            assertThat(before.refresh(Duration.ofMinutes(5)).join().isSuccess()).as("refresh after the reload").isTrue();
            assertThat(server.isAlive()).isTrue();
        }
    }

    private InetSocketAddress start(Path cert, Path key, String... more) throws Exception {
        Path logging = Path.of("src/main/shade/logback.xml").toAbsolutePath();
        // No polling: only the signal may reload.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=" + logging,
                Main.class.getName(), "--listen", "127.0.0.1", "--port", "0", "--tls-port", "0", "--cert", cert.toString(),
                "--pkey", key.toString(), "--tls-reload-interval", "0", "--relay-ports", "32690-32699",
                "--user", "alice:alice-secret"));
        command.addAll(List.of(more));
        server = new ProcessBuilder(command).redirectErrorStream(true).start();
        reader = new Thread(this::read, "server-output");
        reader.start();
        Matcher m = LISTENING.matcher(awaitOutput("turn-server listening: "));
        assertThat(m.find()).as("output:%n%s", output).isTrue();
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
    }

    private void hangUp() throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(server.pid())).redirectErrorStream(true).start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /** The certificate a new TLS connection to {@code server} is offered. */
    private static Certificate certificateOf(InetSocketAddress server) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(server.getAddress(), server.getPort())) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return s.getSession().getPeerCertificates()[0];
        }
    }

    /** The output so far, once it contains {@code text} (at most 60 s). */
    private String awaitOutput(String text) throws InterruptedException {
        return awaitOutput(0, text);
    }

    /** The output so far, once it contains {@code text} after its first {@code from} characters (at most 60 s). */
    private String awaitOutput(int from, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String now = output.toString();
            if (now.indexOf(text, from) >= 0) {
                return now;
            }
            if (!server.isAlive()) {
                break;
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
