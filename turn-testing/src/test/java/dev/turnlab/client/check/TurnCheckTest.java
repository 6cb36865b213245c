package dev.turnlab.client.check;

import static dev.turnlab.testing.LoopbackServers.PASSWORD;
import static dev.turnlab.testing.LoopbackServers.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.testing.LoopbackServers;
import dev.turnlab.testing.tools.FreePorts;
import dev.turnlab.client.Transport;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.check.ServerReport.AllocationCheck;
import dev.turnlab.client.check.ServerReport.CredentialCheck;
import dev.turnlab.client.check.ServerReport.RelayCheck;
import dev.turnlab.client.check.ServerReport.TransportProbe.Outcome;
import dev.turnlab.server.TurnServer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every diagnosis turn-check makes, each produced on purpose against our own server on loopback. */
class TurnCheckTest {

    private static final CheckOptions CHECK = CheckOptions.DEFAULTS.withCredentials(USER, PASSWORD)
            .withTimeout(Duration.ofSeconds(1)).withProbes(3);

    @Test
    void healthyServerPassesEveryCheckIncludingTheRelay() {
        try (TurnServer server = LoopbackServers.standard().build().start()) {
            ServerReport r = TurnCheck.run(at(server.udpAddress()), CHECK.withRelayTest(true));

            assertThat(r.findings()).isEmpty();
            assertThat(r.exitCode()).isZero();
            assertThat(r.status()).isEqualTo("success");
            assertThat(r.transport()).isEqualTo(Transport.UDP);
            assertThat(r.roundTrip().answered()).isEqualTo(3);
            assertThat(r.mappedAddress().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
            assertThat(r.credentials().status()).isEqualTo(CredentialCheck.Status.ACCEPTED);
            assertThat(r.credentials().realm()).isEqualTo("turnlab");
            assertThat(r.allocation().relayedAddress().getPort())
                    .isBetween(server.config().relay().ports().min(), server.config().relay().ports().max());
            assertThat(r.relay().status()).isEqualTo(RelayCheck.Status.PASSED);
            assertThat(r.relay().peerToClient()).isTrue();
            assertThat(r.relay().clientToPeer()).isTrue();
            assertThat(server.allocations()).as("the check releases its allocation").isEmpty();
        }
    }

    @Test
    void wrongPasswordOnAnExpresswayIs431WithRealmTandberg() {
        try (TurnServer server = LoopbackServers.expressway().build().start()) {
            ServerReport r = TurnCheck.run(at(server.udpAddress()), CHECK.withCredentials("alice", "wrong"));

            assertThat(r.credentials().status()).isEqualTo(CredentialCheck.Status.REJECTED);
            assertThat(r.credentials().error().code()).isEqualTo(431);
            assertThat(r.credentials().realm()).isEqualTo("TANDBERG");
            Finding f = only(r);
            assertThat(f.code()).isEqualTo("credentials-rejected");
            assertThat(f.problem()).contains("431 Integrity Check Failure", "realm TANDBERG", "user alice");
            assertThat(f.fix()).startsWith("make the TURN credentials on the client match the server's local authentication database");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.CREDENTIALS_REJECTED);
        }
    }

    @Test
    void wrongPasswordOnAStandardServerIs401() {
        try (TurnServer server = LoopbackServers.standard().build().start()) {
            ServerReport r = TurnCheck.run(at(server.udpAddress()), CHECK.withCredentials("alice", "wrong"));

            assertThat(r.credentials().error().code()).isEqualTo(401);
            assertThat(only(r).code()).isEqualTo("credentials-rejected");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.CREDENTIALS_REJECTED);
        }
    }

    @Test
    void realmOtherThanTheExpectedOneWithAcceptedCredentialsIsAWarning() {
        try (TurnServer server = LoopbackServers.standard().build().start()) {
            ServerReport r = TurnCheck.run(at(server.udpAddress()), CHECK.withExpectedRealm("TANDBERG").withRelayTest(true));

            Finding f = only(r);
            assertThat(f.code()).isEqualTo("realm-mismatch");
            assertThat(f.severity()).isEqualTo(Finding.Severity.WARNING);
            assertThat(f.problem()).isEqualTo("the server's realm is turnlab, not the expected TANDBERG; "
                    + "the credentials of user alice were accepted in realm turnlab");
            assertThat(f.fix()).doesNotContain("only work in their realm");
            assertThat(r.relay().status()).isEqualTo(RelayCheck.Status.PASSED);
            assertThat(r.exitCode()).isZero();
            assertThat(r.status()).isEqualTo("success");
        }
    }

    @Test
    void realmOtherThanTheExpectedOneWithRejectedCredentialsIsAProblem() {
        try (TurnServer server = LoopbackServers.expressway().build().start()) {
            ServerReport r = TurnCheck.run(at(server.udpAddress()),
                    CHECK.withCredentials("alice", "wrong").withExpectedRealm("turnlab"));

            assertThat(r.findings()).extracting(Finding::code).containsExactly("credentials-rejected", "realm-mismatch");
            assertThat(r.findings().get(1).severity()).isEqualTo(Finding.Severity.PROBLEM);
            assertThat(r.findings().get(1).fix()).contains("credentials only work in their realm");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.CREDENTIALS_REJECTED);
        }
    }

    @Test
    void refusedPortIsClosedOrRejectedByAFirewall() throws IOException {
        int port = closedPort();

        ServerReport r = TurnCheck.run(new ServerAddress("127.0.0.1", port), CHECK);

        assertThat(r.reachable()).isFalse();
        assertThat(r.transports()).extracting(ServerReport.TransportProbe::outcome)
                .containsExactly(Outcome.PORT_CLOSED, Outcome.PORT_CLOSED);
        assertThat(only(r).code()).isEqualTo("port-closed");
        assertThat(only(r).problem()).isEqualTo("UDP and TCP port " + port + " of 127.0.0.1 refused (UDP: ICMP port "
                + "unreachable; TCP: connection refused): nothing listens there, or a firewall on the path rejects the port");
        assertThat(only(r).fix()).startsWith("if TURN runs on 127.0.0.1, a firewall between here and the server rejects "
                + "UDP and TCP " + port + ": open it; otherwise switch TURN on");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.status()).isEqualTo("failure");
    }

    @Test
    void hungServerThatAcceptsTcpAndReadsUdpButNeverAnswersIsNoStunAnswer() throws IOException {
        try (HungServer hung = new HungServer()) {
            ServerReport r = TurnCheck.run(new ServerAddress("127.0.0.1", hung.port()), CHECK);

            assertThat(r.reachable()).isFalse();
            assertThat(r.transports()).extracting(ServerReport.TransportProbe::outcome)
                    .containsExactly(Outcome.NO_ANSWER, Outcome.SILENT);
            Finding f = only(r);
            assertThat(f.code()).isEqualTo("no-stun-answer");
            assertThat(f.problem()).isEqualTo("no STUN answer from 127.0.0.1 on TCP " + hung.port()
                    + " (UDP: no answer within 1 s; TCP: connection accepted, no STUN answer within 1 s): "
                    + "the host is up and something accepts connections on the port");
            assertThat(f.fix()).startsWith("the TURN server is hung or overloaded, or another program holds the port");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        }
    }

    @Test
    void hungTcpServerAloneIsNoStunAnswer() throws IOException {
        try (HungServer hung = new HungServer()) {
            ServerReport r = TurnCheck.run(new ServerAddress("127.0.0.1", hung.port()), CHECK.withTransport(Transport.TCP));

            assertThat(only(r).code()).isEqualTo("no-stun-answer");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        }
    }

    @Test
    void hungServerThatNeverAnswersTheTlsHandshakeIsNoStunAnswerNotATlsFailure() throws IOException {
        try (HungServer hung = new HungServer()) {
            ServerReport r = TurnCheck.run(new ServerAddress("127.0.0.1", hung.port()), CHECK.withTransport(Transport.TLS));

            assertThat(r.transports()).extracting(ServerReport.TransportProbe::detail)
                    .containsExactly("connection accepted, no answer to the TLS handshake within 1 s");
            assertThat(only(r).code()).isEqualTo("no-stun-answer");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        }
    }

    @Test
    void silentUdpWhileTheHostSendsIcmpForAnotherPortIsNoStunAnswer() throws IOException {
        // Only UDP: the silence of the port is set against ICMP port unreachable from the discard port.
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            ServerReport r = TurnCheck.run(at((InetSocketAddress) silent.getLocalSocketAddress()),
                    CHECK.withTransport(Transport.UDP));

            assertThat(r.transports()).extracting(ServerReport.TransportProbe::outcome).containsExactly(Outcome.SILENT);
            Finding f = only(r);
            assertThat(f.code()).isEqualTo("no-stun-answer");
            assertThat(f.problem()).contains("UDP: no answer within 1 s and no ICMP port unreachable, while UDP port 9 "
                    + "of the host drew ICMP port unreachable", "a socket is open on the port and silent, or a firewall "
                    + "drops this port alone");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        }
    }

    @Test
    void silentUdpWithWorkingTcpIsDiagnosedAndTheCheckGoesOnOverTcp() throws IOException {
        try (TurnServer server = LoopbackServers.standard().udp(false).build().start();
                DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        server.tcpAddress().getPort()))) {
            assertThat(silent.isBound()).as("a silent UDP socket on the TCP port").isTrue();
            ServerReport r = TurnCheck.run(at(server.tcpAddress()), CHECK);

            assertThat(r.transport()).isEqualTo(Transport.TCP);
            assertThat(only(r).code()).isEqualTo("udp-blocked");
            assertThat(only(r).problem()).isEqualTo("no answer on UDP port " + server.tcpAddress().getPort()
                    + " (no answer within 1 s), while TCP port " + server.tcpAddress().getPort() + " works");
            assertThat(r.allocation().status()).isEqualTo(AllocationCheck.Status.ALLOCATED);
            assertThat(r.exitCode()).isZero();
        }
    }

    @Test
    void closedTcpWithWorkingUdpIsAWarning() {
        try (TurnServer server = LoopbackServers.standard().tcp(false).build().start()) {
            ServerReport r = TurnCheck.run(at(server.udpAddress()), CHECK);

            assertThat(only(r).code()).isEqualTo("tcp-blocked");
            assertThat(only(r).severity()).isEqualTo(Finding.Severity.WARNING);
            assertThat(r.exitCode()).isZero();
        }
    }

    @Test
    void quotaReachedIs486() {
        try (TurnServer server = LoopbackServers.standard().userQuota(1).build().start();
                TurnClient holder = TurnClient.builder().server(server.udpAddress()).credentials(USER, PASSWORD).build()) {
            holder.allocate().join().value();

            ServerReport r = TurnCheck.run(at(server.udpAddress()), CHECK);

            assertThat(r.credentials().status()).isEqualTo(CredentialCheck.Status.ACCEPTED);
            assertThat(r.allocation().error().code()).isEqualTo(486);
            assertThat(only(r).code()).isEqualTo("allocation-quota");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.ALLOCATION_REFUSED);
        }
    }

    @Test
    void serverWithoutCapacityIs508() {
        try (TurnServer server = LoopbackServers.standard().user("bob", "bob-secret").totalQuota(1).build().start();
                TurnClient holder = TurnClient.builder().server(server.udpAddress()).credentials("bob", "bob-secret").build()) {
            holder.allocate().join().value();

            ServerReport r = TurnCheck.run(at(server.udpAddress()), CHECK);

            assertThat(r.allocation().error().code()).isEqualTo(508);
            assertThat(only(r).code()).isEqualTo("allocation-capacity");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.ALLOCATION_REFUSED);
        }
    }

    @Test
    void serverWhoseNoncesAreAlwaysStaleLeavesTheCredentialsUntested() {
        try (TurnServer server = LoopbackServers.standard().fault("stale-nonce").build().start()) {
            ServerReport r = TurnCheck.run(at(server.udpAddress()), CHECK);

            assertThat(r.allocation().error().code()).isEqualTo(438);
            assertThat(r.credentials().status()).isEqualTo(CredentialCheck.Status.NOT_TESTED);
            assertThat(only(r).code()).isEqualTo("stale-nonce");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.ALLOCATION_REFUSED);
        }
    }

    @Test
    void relayAdvertisedOnAnotherAddressWhereNothingArrivesIsMissingNatReflection() {
        // A static-NAT layout without NAT reflection, checked from the private side: the server at
        // 127.0.0.1 advertises 127.0.0.2, where no relay socket listens, so what a peer sends to the
        // relayed address is lost, while the same port on the address checked reaches the relay.
        try (TurnServer server = LoopbackServers.standard().externalAddress("127.0.0.2").build().start()) {
            ServerReport r = TurnCheck.run(at(server.udpAddress()), CHECK.withRelayTest(true));

            InetSocketAddress relayed = r.allocation().relayedAddress();
            assertThat(relayed.getAddress().getHostAddress()).isEqualTo("127.0.0.2");
            assertThat(r.relay().status()).isEqualTo(RelayCheck.Status.FAILED);
            assertThat(r.relay().peerToClient()).isFalse();
            assertThat(r.relay().clientToPeer()).isTrue();
            assertThat(r.relay().viaCheckedAddress()).isTrue();
            Finding f = only(r);
            assertThat(f.code()).isEqualTo("nat-reflection");
            assertThat(f.problem()).startsWith("the server advertises the relayed address 127.0.0.2:" + relayed.getPort()
                    + ", not the address checked (127.0.0.1): what a peer here sent to 127.0.0.2:" + relayed.getPort()
                    + " did not arrive, but what it sent to port " + relayed.getPort() + " of 127.0.0.1 did");
            assertThat(f.fix()).startsWith("add NAT reflection (hairpin NAT) for the relay ports");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.RELAY_FAILED);
        }
    }

    @Test
    void relayAdvertisedOnTheAddressCheckedWhereNothingArrivesIsRelayBlocked() throws IOException {
        // Checked at 127.0.0.2, which is also the relayed address, but the relay sockets are on
        // 127.0.0.1: what a peer sends to the relayed address is lost as if a firewall dropped it.
        FreePorts.Block relays = FreePorts.udpBlock(50);
        try (TurnServer server = TurnServer.builder().listen("127.0.0.2").port(0).noTls()
                .relayPorts(relays.min(), relays.max()).relayAddress("127.0.0.1")
                .externalAddress("127.0.0.2").user(USER, PASSWORD).allowLoopbackPeers(true).ioThreads(1).build().start()) {
            ServerReport r = TurnCheck.run(at(server.udpAddress()), CHECK.withRelayTest(true));

            assertThat(r.allocation().relayedAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.2");
            assertThat(r.relay().peerToClient()).isFalse();
            assertThat(r.relay().viaCheckedAddress()).as("the relayed address is the address checked").isNull();
            Finding f = only(r);
            assertThat(f.code()).isEqualTo("relay-blocked");
            assertThat(f.fix()).startsWith("the relay port range is not reachable: check the firewall and NAT reflection for the relay ports");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.RELAY_FAILED);
        }
    }

    @Test
    void privateRelayedAddressWhileBrowsersAreGivenAPublicOneIsRelayAddressPrivate() throws Exception {
        // No relay test: it would send to 10.0.0.5, and tests send only to loopback.
        try (TurnServer server = LoopbackServers.standard().externalAddress("10.0.0.5").build().start()) {
            ServerReport r = TurnCheck.run(at(server.udpAddress()),
                    CHECK.withClientAddress(InetAddress.getByName("198.51.100.7")));

            assertThat(r.allocation().relayedAddress().getAddress().getHostAddress()).isEqualTo("10.0.0.5");
            Finding f = only(r);
            assertThat(f.code()).isEqualTo("relay-address-private");
            assertThat(f.problem()).isEqualTo("the server hands out the private relayed address 10.0.0.5:"
                    + r.allocation().relayedAddress().getPort() + " while browsers are given the public address "
                    + "198.51.100.7 (CMS's clientAddress): peers on the Internet cannot send media to it");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.RELAY_FAILED);
        }
    }

    @Test
    void relayedAddressOtherThanTheClientAddressIsAWarning() throws Exception {
        try (TurnServer server = LoopbackServers.standard().build().start()) {
            ServerReport r = TurnCheck.run(at(server.udpAddress()),
                    CHECK.withRelayTest(true).withClientAddress(InetAddress.getByName("127.0.0.3")));

            Finding f = only(r);
            assertThat(f.code()).isEqualTo("client-address-mismatch");
            assertThat(f.severity()).isEqualTo(Finding.Severity.WARNING);
            assertThat(f.problem()).startsWith("the relayed address 127.0.0.1:").contains(
                    "is not on the clientAddress 127.0.0.3 browsers are given");
            assertThat(r.exitCode()).isZero();
        }
    }

    @Test
    void requiredTransportThatDoesNotAnswerFailsTheCheck() {
        try (TurnServer server = LoopbackServers.standard().tcp(false).build().start()) {
            ServerReport r = TurnCheck.run(at(server.udpAddress()), CHECK.withRequired(Set.of(Transport.UDP, Transport.TCP)));

            Finding f = only(r);
            assertThat(f.code()).isEqualTo("tcp-blocked");
            assertThat(f.severity()).isEqualTo(Finding.Severity.PROBLEM);
            assertThat(f.problem()).endsWith("; TCP is required");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(r.status()).isEqualTo("failure");
        }
    }

    @Test
    void tcpIsCheckedOnItsOwnPortWhenGiven() throws IOException {
        try (TurnServer server = LoopbackServers.standard().build().start()) {
            int closed = closedPort();
            ServerReport r = TurnCheck.run(at(server.udpAddress()), CHECK.withTcpPort(closed));

            assertThat(r.transports()).extracting(ServerReport.TransportProbe::port)
                    .containsExactly(server.udpAddress().getPort(), closed);
            assertThat(only(r).code()).isEqualTo("tcp-blocked");
            assertThat(only(r).problem()).startsWith("no answer on TCP port " + closed + " (connection refused)");
        }
    }

    @Test
    void peerForbiddenByTheServerIsAPermissionRefusal() {
        try (TurnServer server = LoopbackServers.standard().allowLoopbackPeers(false).build().start()) {
            ServerReport r = TurnCheck.run(at(server.udpAddress()), CHECK.withRelayTest(true));

            assertThat(r.relay().error().code()).isEqualTo(403);
            assertThat(only(r).code()).isEqualTo("permission-refused");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.RELAY_FAILED);
        }
    }

    @Test
    void withoutCredentialsTheRealmIsStillReported() {
        try (TurnServer server = LoopbackServers.expressway().build().start()) {
            ServerReport r = TurnCheck.run(at(server.udpAddress()), CheckOptions.DEFAULTS.withProbes(1));

            assertThat(r.credentials().realm()).isEqualTo("TANDBERG");
            assertThat(only(r).code()).isEqualTo("credentials-not-tested");
            assertThat(r.exitCode()).isZero();
        }
    }

    @Test
    void severalServersAreRankedAndTheReachableOneChosen() throws IOException {
        try (TurnServer server = LoopbackServers.standard().build().start()) {
            List<ServerReport> reports = TurnCheck.run(List.of(new ServerAddress("127.0.0.1", closedPort()),
                    ServerAddress.parse("127.0.0.1:" + server.udpAddress().getPort())), CHECK.withProbes(1));

            Ranking ranking = Ranking.of(reports);
            assertThat(ranking.chosen()).contains(reports.get(1));
            assertThat(ranking.unreachable()).containsExactly(reports.get(0));
        }
    }

    static ServerAddress at(InetSocketAddress address) {
        return new ServerAddress(address.getAddress().getHostAddress(), address.getPort());
    }

    private static Finding only(ServerReport r) {
        assertThat(r.findings()).hasSize(1);
        return r.findings().get(0);
    }

    /**
     * A hung TURN server on loopback: a TCP listener whose kernel completes connections (in the backlog)
     * that nobody reads, and a UDP socket on the same port that nobody answers from.
     */
    static final class HungServer implements AutoCloseable {
        private final ServerSocket tcp;
        private final DatagramSocket udp;

        HungServer() throws IOException {
            int port = closedPort();
            tcp = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            try {
                udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException taken) {
                tcp.close();
                throw taken;
            }
        }

        int port() {
            return tcp.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            udp.close();
            tcp.close();
        }
    }

    static int closedPort() throws IOException {
        // A port free on TCP; UDP on the same number is checked free as well.
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
}
