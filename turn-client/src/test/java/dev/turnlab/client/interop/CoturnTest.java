package dev.turnlab.client.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.Allocation;
import dev.turnlab.client.Retransmission;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.check.CheckOptions;
import dev.turnlab.client.check.ExitCodes;
import dev.turnlab.client.check.ServerAddress;
import dev.turnlab.client.check.ServerReport;
import dev.turnlab.client.check.ServerReport.CredentialCheck;
import dev.turnlab.client.check.ServerReport.RelayCheck;
import dev.turnlab.client.check.TurnCheck;
import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client and turn-check against coturn's real {@code turnserver}, run hermetically (no config file,
 * database, pid file and log in a temporary directory, loopback only, its own relay range). coturn is
 * installed when missing and the test runs as root; otherwise the test is skipped with the command to run.
 */
class CoturnTest {

    private static final String USER = "coturn-user";
    private static final String PASSWORD = "coturn-secret";
    private static final String REALM = "coturn.test";

    @TempDir
    static Path dir;

    private static Process turnserver;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(coturnAvailable(), "coturn's turnserver is not installed and cannot be installed "
                + "here: run `apt-get install -y coturn` as root to enable this test");
        int port = freePort();
        address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        turnserver = new ProcessBuilder("turnserver", "-n", "--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1",
                "--listening-port", Integer.toString(port), "--min-port", "32800", "--max-port", "32899",
                "--lt-cred-mech", "--user", USER + ":" + PASSWORD, "--realm", REALM, "--allow-loopback-peers",
                "--no-cli", "--no-tls", "--no-dtls", "--no-rfc5780", "--no-multicast-peers",
                "--userdb", dir.resolve("turndb").toString(), "--pidfile", dir.resolve("turnserver.pid").toString(),
                "--log-file", dir.resolve("turnserver.log").toString(), "--simple-log", "--no-stdout-log")
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        awaitListening();
    }

    @AfterAll
    static void stop() throws Exception {
        if (turnserver != null) {
            turnserver.destroy();
            if (!turnserver.waitFor(5, TimeUnit.SECONDS)) {
                turnserver.destroyForcibly();
            }
        }
    }

    @Test
    void checkPassesIncludingTheRelay() {
        ServerReport r = TurnCheck.run(server(), options(PASSWORD).withExpectedRealm(REALM).withRelayTest(true));

        assertThat(r.findings()).as("%s", r.findings()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.credentials().realm()).isEqualTo(REALM);
        assertThat(r.allocation().relayedAddress().getPort()).isBetween(32800, 32899);
        assertThat(r.relay().status()).isEqualTo(RelayCheck.Status.PASSED);
    }

    @Test
    void wrongPasswordIs401InCoturnsRealm() {
        ServerReport r = TurnCheck.run(server(), options("not-the-password"));

        assertThat(r.credentials().status()).isEqualTo(CredentialCheck.Status.REJECTED);
        assertThat(r.credentials().error().code()).isEqualTo(401);
        assertThat(r.credentials().realm()).isEqualTo(REALM);
        assertThat(r.findings().get(0).code()).isEqualTo("credentials-rejected");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CREDENTIALS_REJECTED);
    }

    @Test
    void channelDataCrossesCoturnsRelayBothWays() throws Exception {
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                TurnClient client = TurnClient.builder().server(address).credentials(USER, PASSWORD)
                        .onData((from, data) -> received.add(data)).build()) {
            Allocation allocation = client.allocate().join().value();
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertThat(client.channelBind(peerAddress).join().value()).isEqualTo(0x4000);

            client.send(peerAddress, "to peer".getBytes(StandardCharsets.UTF_8)).join();
            byte[] buffer = new byte[100];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            peer.setSoTimeout(5000);
            peer.receive(packet);
            byte[] back = "to client".getBytes(StandardCharsets.UTF_8);
            peer.send(new DatagramPacket(back, back.length, allocation.relayedAddress()));

            assertThat(new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8)).isEqualTo("to peer");
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(back);
            assertThat(client.refresh(Duration.ZERO).join().isSuccess()).isTrue();
        }
    }

    private static ServerAddress server() {
        return new ServerAddress("127.0.0.1", address.getPort());
    }

    private static CheckOptions options(String password) {
        return CheckOptions.DEFAULTS.withCredentials(USER, password).withTimeout(Duration.ofSeconds(2)).withProbes(3);
    }

    /** Polls with Binding until turnserver answers: at most 20 tries of 500 ms. */
    private static void awaitListening() throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            assertThat(turnserver.isAlive()).as("turnserver running; log: %s", log()).isTrue();
            try (TurnClient probe = TurnClient.builder().server(address)
                    .retransmission(Retransmission.udp().within(Duration.ofMillis(500))).build()) {
                probe.binding().join();
                return;
            } catch (CompletionException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("turnserver did not answer; log: " + log());
    }

    private static String log() throws IOException {
        Path log = dir.resolve("stdout.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(none)";
    }

    /** A port free on both UDP and TCP of 127.0.0.1. */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                assertThat(d.getLocalPort()).isEqualTo(port);
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no port free on both TCP and UDP");
    }

    private static boolean coturnAvailable() throws InterruptedException {
        if (onPath("turnserver")) {
            return true;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return false;
        }
        try {
            ProcessBuilder apt = new ProcessBuilder("timeout", "300", "apt-get", "install", "-y", "coturn")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            apt.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process install = apt.start();
            install.getOutputStream().close();
            install.waitFor(310, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        }
        return onPath("turnserver");
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
