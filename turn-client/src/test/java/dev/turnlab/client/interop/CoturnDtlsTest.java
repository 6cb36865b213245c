package dev.turnlab.client.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.Allocation;
import dev.turnlab.client.Transport;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.check.CheckOptions;
import dev.turnlab.client.check.ServerAddress;
import dev.turnlab.client.check.ServerReport;
import dev.turnlab.client.check.ServerReport.RelayCheck;
import dev.turnlab.client.check.TurnCheck;
import dev.turnlab.codec.dtls.DtlsEngines;
import dev.turnlab.testing.tools.Coturn;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.File;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our DTLS transport (RFC 7350) against coturn's {@code turnserver} with its DTLS listener on, a self-signed
 * certificate made by {@code openssl} for the test: {@link TurnClient} allocates and relays both ways, and
 * turn-check {@code --transport dtls} passes with the relay test. Skipped when coturn or openssl is missing.
 */
class CoturnDtlsTest {

    private static final String USER = "coturn-user";
    private static final String PASSWORD = "coturn-secret";
    private static final String REALM = "coturn.test";

    @TempDir
    static Path dir;

    private static Coturn coturn;
    private static DtlsEngines trustingTheLab;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Coturn.available(), Coturn.MISSING);
        Assumptions.assumeTrue(onPath("openssl"), "openssl is not installed: it makes coturn's DTLS certificate");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("timeout", "30", "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=coturn.test").redirectErrorStream(true).redirectOutput(dir.resolve("openssl.txt").toFile()).start();
        assertThat(openssl.waitFor(40, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(Files.readString(dir.resolve("openssl.txt"))).isZero();
        coturn = Coturn.builder().user(USER, PASSWORD).realm(REALM).dtls(cert, key).start();
        trustingTheLab = DtlsEngines.client(DtlsEngines.clientContext(InsecureTrustManagerFactory.INSTANCE), null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (coturn != null) {
            coturn.close();
        }
    }

    @Test
    void allocatesAndRelaysBothWaysOverCoturnsDtls() throws Exception {
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                TurnClient client = TurnClient.builder().server(coturn.dtlsAddress()).transport(Transport.DTLS)
                        .dtlsEngines(trustingTheLab).credentials(USER, PASSWORD)
                        .onData((from, data) -> received.add(data)).build()) {
            Allocation allocation = client.allocate().join().value();
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            client.channelBind(peerAddress).join().value();

            client.send(peerAddress, "to peer over dtls".getBytes(StandardCharsets.UTF_8)).join();
            byte[] buffer = new byte[100];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            peer.setSoTimeout(5000);
            peer.receive(packet);
            byte[] back = "to client over dtls".getBytes(StandardCharsets.UTF_8);
            peer.send(new DatagramPacket(back, back.length, allocation.relayedAddress()));

            assertThat(new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8)).isEqualTo("to peer over dtls");
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(back);
            assertThat(client.refresh(Duration.ZERO).join().isSuccess()).isTrue();
        }
    }

    @Test
    void turnCheckOverDtlsPassesIncludingTheRelay() {
        ServerReport r = TurnCheck.run(new ServerAddress("127.0.0.1", coturn.dtlsAddress().getPort()),
                CheckOptions.DEFAULTS.withCredentials(USER, PASSWORD).withExpectedRealm(REALM).withTransport(Transport.DTLS)
                        .withDtlsEngines(trustingTheLab).withRelayTest(true).withTimeout(Duration.ofSeconds(3)).withProbes(3));

        assertThat(r.findings()).as("%s", r.findings()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.transport()).isEqualTo(Transport.DTLS);
        assertThat(r.relay().status()).isEqualTo(RelayCheck.Status.PASSED);
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
