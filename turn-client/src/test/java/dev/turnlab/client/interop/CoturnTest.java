package dev.turnlab.client.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.Allocation;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.check.CheckOptions;
import dev.turnlab.client.check.ExitCodes;
import dev.turnlab.client.check.ServerAddress;
import dev.turnlab.client.check.ServerReport;
import dev.turnlab.client.check.ServerReport.CredentialCheck;
import dev.turnlab.client.check.ServerReport.RelayCheck;
import dev.turnlab.client.check.TurnCheck;
import dev.turnlab.testing.tools.Coturn;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client and turn-check against coturn's real {@code turnserver}, run hermetically (no config file,
 * database, pid file and log in a temporary directory, loopback only, its own relay range: {@link Coturn}).
 * coturn is installed when missing and the test runs as root; otherwise the test is skipped with the command to run.
 */
class CoturnTest {

    private static final String USER = "coturn-user";
    private static final String PASSWORD = "coturn-secret";
    private static final String REALM = "coturn.test";

    private static Coturn coturn;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Coturn.available(), Coturn.MISSING);
        coturn = Coturn.builder().user(USER, PASSWORD).realm(REALM).start();
        address = coturn.address();
    }

    @AfterAll
    static void stop() throws Exception {
        if (coturn != null) {
            coturn.close();
        }
    }

    @Test
    void checkPassesIncludingTheRelay() {
        ServerReport r = TurnCheck.run(server(), options(PASSWORD).withExpectedRealm(REALM).withRelayTest(true));

        assertThat(r.findings()).as("%s", r.findings()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.credentials().realm()).isEqualTo(REALM);
        assertThat(r.allocation().relayedAddress().getPort()).isBetween(coturn.relayPorts().min(), coturn.relayPorts().max());
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
}
