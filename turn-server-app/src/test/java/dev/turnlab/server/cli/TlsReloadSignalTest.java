package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnlab.client.Transport;
import dev.turnlab.client.TurnClient;
import dev.turnlab.testing.tools.TestCertificate;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP in a real process reloads the TLS certificate from its files: the next connection gets the new one,
 * a TLS allocation made before lives on, and the process keeps running (the JVM's default is to exit). It also
 * reopens {@code --log-file}, for logrotate.
 */
class TlsReloadSignalTest {

    private static final Pattern TLS_LISTENING = Pattern.compile(", tls 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private ServerProcess server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sighupServesTheRenewedCertificateKeepsTheAllocationsAndReopensTheLogFile() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kill")) || Files.isExecutable(Path.of("/bin/kill")),
                "no kill command to send SIGHUP with (not a Unix host)");
        TestCertificate first = TestCertificate.generate("first.turnlab.test", Duration.ofDays(30));
        TestCertificate second = TestCertificate.generate("second.turnlab.test", Duration.ofDays(90));
        Path cert = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        first.write(cert, key);
        Path log = dir.resolve("turn.log");
        // No polling: only the signal may reload.
        server = ServerProcess.start("--tls-port", "0", "--cert", cert.toString(), "--pkey", key.toString(),
                "--tls-reload-interval", "0", "--user", "alice:alice-secret", "--log-file", log.toString());
        Matcher m = TLS_LISTENING.matcher(server.awaitOutput("turn-server listening: "));
        assertThat(m.find()).as("output:%n%s", server.output()).isTrue();
        InetSocketAddress tls = new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
        try (TurnClient before = TurnClient.builder().server(tls).transport(Transport.TLS)
                .sslContext(SslContextBuilder.forClient().trustManager(first.certificate()).build())
                .credentials("alice", "alice-secret").build()) {
            assertThat(before.allocate().join().isSuccess()).isTrue();

            second.write(cert, key);
            server.signal("HUP");
            server.awaitOutput("TLS certificate reloaded from " + cert + ": CN=second.turnlab.test expires");

            assertThat(certificateOf(tls)).isEqualTo(second.certificate());
            // logrotate's way without copytruncate: the file is moved away, SIGHUP makes a new one.
            Path rotated = dir.resolve("turn.log.1");
            Files.move(log, rotated);
            int seen = server.output().length(); // the first SIGHUP reopened the file too: wait for the second's line
            server.signal("HUP");
            server.awaitOutput(seen, "log file reopened: " + log);
            assertThat(Files.readString(rotated, StandardCharsets.UTF_8)).contains("TLS certificate reloaded from " + cert);
            assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("log file reopened: " + log)
                    .doesNotContain("TLS certificate reloaded from " + cert + ": CN=second");
            assertThat(before.refresh(Duration.ofMinutes(5)).join().isSuccess()).as("refresh after the reload").isTrue();
            assertThat(server.process().isAlive()).isTrue();
        }
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
}
