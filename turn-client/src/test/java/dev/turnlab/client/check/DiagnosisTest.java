package dev.turnlab.client.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.RelayTransport;
import dev.turnlab.client.Transport;
import dev.turnlab.client.check.ServerReport.AllocationCheck;
import dev.turnlab.client.check.ServerReport.CredentialCheck;
import dev.turnlab.client.check.ServerReport.RelayCheck;
import dev.turnlab.client.check.ServerReport.RoundTrip;
import dev.turnlab.client.check.ServerReport.TransportProbe;
import dev.turnlab.client.check.ServerReport.TransportProbe.Outcome;
import dev.turnlab.codec.attribute.ErrorCode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decisions of {@link Diagnosis} on reports built by hand, for the layouts loopback cannot produce:
 * a client with a public mapped address, a firewall that drops silently.
 */
class DiagnosisTest {

    private static final InetSocketAddress PUBLIC_CLIENT = new InetSocketAddress("203.0.113.20", 40000);
    private static final InetSocketAddress PRIVATE_CLIENT = new InetSocketAddress("10.48.36.5", 44920);
    private static final RelayCheck PEER_LOST = new RelayCheck(RelayCheck.Status.FAILED, new InetSocketAddress("203.0.113.20", 41000),
            false, true, null, null, "what the client sent through the relay reached the peer, but nothing the peer "
                    + "sent to the relayed address reached the client", null);

    @Test
    void privateRelayedAddressToAClientWithAPublicMappedAddressIsRelayAddressPrivate() {
        ServerReport r = diagnose(allocated("198.51.100.7", PUBLIC_CLIENT, "10.0.0.5", PEER_LOST, null));

        assertThat(r.findings()).extracting(Finding::code).containsExactly("relay-address-private");
        assertThat(r.findings().get(0).problem()).startsWith("the server hands out the private relayed address "
                + "10.0.0.5:24012 to a client whose mapped address 203.0.113.20 is public: peers on the Internet "
                + "cannot send media to it; the relay test failed: ");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.RELAY_FAILED);
    }

    @Test
    void privateRelayedAddressIsAProblemEvenWhenTheRelayTestPassedFromHere() {
        RelayCheck passed = new RelayCheck(RelayCheck.Status.PASSED, PUBLIC_CLIENT, true, true, Duration.ofMillis(3),
                null, "", null);

        ServerReport r = diagnose(allocated("198.51.100.7", PUBLIC_CLIENT, "10.0.0.5", passed, null));

        assertThat(r.findings()).extracting(Finding::code).containsExactly("relay-address-private");
        assertThat(r.findings().get(0).problem()).endsWith("; the relay test passed only because this network routes to 10.0.0.5");
    }

    @Test
    void privateRelayedAddressToAPrivateClientIsNoProblemOfItsOwn() {
        RelayCheck passed = new RelayCheck(RelayCheck.Status.PASSED, PRIVATE_CLIENT, true, true, Duration.ofMillis(3),
                null, "", null);

        assertThat(diagnose(allocated("10.0.0.5", PRIVATE_CLIENT, "10.0.0.5", passed, null)).findings()).isEmpty();
    }

    @Test
    void peerDataLostOnAnotherRelayedAddressButArrivingAtTheAddressCheckedIsNatReflection() {
        RelayCheck viaChecked = withVia(PEER_LOST, true);

        ServerReport r = diagnose(allocated("10.0.0.5", PRIVATE_CLIENT, "198.51.100.7", viaChecked, null));

        assertThat(r.findings()).extracting(Finding::code).containsExactly("nat-reflection");
        assertThat(r.findings().get(0).fix()).contains("on the firewall that translates 198.51.100.7 to the server");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.RELAY_FAILED);
    }

    @Test
    void peerDataLostAtTheAddressCheckedTooIsRelayBlocked() {
        ServerReport r = diagnose(allocated("10.0.0.5", PRIVATE_CLIENT, "198.51.100.7", withVia(PEER_LOST, false), null));

        assertThat(r.findings()).extracting(Finding::code).containsExactly("relay-blocked");
        assertThat(r.findings().get(0).problem()).endsWith("(the relayed address 198.51.100.7:24012; nor did what the "
                + "peer sent to the same port on the address checked, 10.0.0.5)");
    }

    @Test
    void privateRelayedAddressWhileClientAddressIsPublicIsRelayAddressPrivateForAPrivateChecker() throws Exception {
        ServerReport r = diagnose(allocated("10.0.0.5", PRIVATE_CLIENT, "10.0.0.5", RelayCheck.NOT_RUN,
                InetAddress.getByName("198.51.100.7")));

        assertThat(r.findings()).extracting(Finding::code).containsExactly("relay-address-private");
    }

    @Test
    void relayedAddressOnTheClientAddressIsQuiet() throws Exception {
        ServerReport r = diagnose(allocated("10.0.0.5", PRIVATE_CLIENT, "198.51.100.7", RelayCheck.NOT_RUN,
                InetAddress.getByName("198.51.100.7")));

        assertThat(r.findings()).isEmpty();
    }

    @Test
    void silenceWithNothingShowingTheHostIsThereStaysUnreachable() {
        ServerReport r = diagnose(unreachable(
                new TransportProbe(Transport.UDP, 3478, Outcome.NO_ANSWER, "no answer within 5 s, and no ICMP port "
                        + "unreachable from UDP port 9 of the host either", false),
                new TransportProbe(Transport.TCP, 3478, Outcome.NO_ANSWER, "no answer within 5 s", false)));

        assertThat(r.findings()).extracting(Finding::code).containsExactly("unreachable");
        assertThat(r.findings().get(0).problem()).contains("filtered by a firewall");
    }

    @Test
    void udpRefusedAndTcpAcceptedButSilentIsNoStunAnswer() {
        ServerReport r = diagnose(unreachable(
                new TransportProbe(Transport.UDP, 3478, Outcome.PORT_CLOSED, "ICMP port unreachable", false),
                new TransportProbe(Transport.TCP, 3478, Outcome.SILENT, "connection accepted, no STUN answer within 5 s", false)));

        assertThat(r.findings()).extracting(Finding::code).containsExactly("no-stun-answer");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    }

    @Test
    void requiredUdpThatIsSilentWhileTcpWorksFails() {
        ServerReport base = allocated("10.0.0.5", PRIVATE_CLIENT, "10.0.0.5", RelayCheck.NOT_RUN, null);
        ServerReport r = diagnose(new ServerReport(base.server(), base.address(), List.of(
                new TransportProbe(Transport.UDP, 3478, Outcome.NO_ANSWER, "no answer within 5 s", true),
                new TransportProbe(Transport.TCP, 3478, Outcome.ANSWERED, "", true)), Transport.TCP, base.roundTrip(),
                base.mappedAddress(), base.credentials(), base.allocation(), base.relay(), List.of()));

        assertThat(r.findings()).extracting(Finding::code).containsExactly("udp-blocked");
        assertThat(r.findings().get(0).severity()).isEqualTo(Finding.Severity.PROBLEM);
        assertThat(r.status()).isEqualTo("failure");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    }

    @Test
    void staleNonceAgainAfterTheRetryIsStaleNonceAndSaysTheCredentialsWereNotTested() {
        ServerReport base = allocated("198.51.100.7", PRIVATE_CLIENT, "198.51.100.7", RelayCheck.NOT_RUN, null);
        ServerReport r = diagnose(new ServerReport(base.server(), base.address(), base.transports(), base.transport(),
                base.roundTrip(), base.mappedAddress(),
                new CredentialCheck(CredentialCheck.Status.NOT_TESTED, "expturncreds", "TANDBERG", "TANDBERG", null),
                new AllocationCheck(AllocationCheck.Status.REFUSED, null, null, new ErrorCode(438, "Stale Nonce"), "", null),
                RelayCheck.NOT_RUN, List.of()));

        assertThat(r.findings()).extracting(Finding::code).containsExactly("stale-nonce");
        assertThat(r.findings().get(0).problem()).isEqualTo("the server refused the allocation: 438 Stale Nonce again "
                + "to the request signed with the fresh nonce of its first 438: the server takes the nonces it hands "
                + "out for expired at once, so every signed request fails; the credentials of user expturncreds could "
                + "not be tested");
        assertThat(r.findings().get(0).fix()).startsWith("check the server's clock (set NTP on it");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.ALLOCATION_REFUSED);
    }

    @Test
    void connectRefused447IsTheRelayUnableToReachThePeerOverTcp() {
        RelayCheck refused = new RelayCheck(RelayCheck.Status.FAILED, new InetSocketAddress("10.48.36.5", 45000), false,
                false, null, new ErrorCode(447, "Connection Timeout or Failure"), "Connect refused", null);

        ServerReport r = diagnose(allocated("10.0.0.5", PRIVATE_CLIENT, "10.0.0.5", refused, null));

        assertThat(r.findings()).extracting(Finding::code).containsExactly("tcp-connect-failed");
        assertThat(r.findings().get(0).problem()).isEqualTo("the server could not reach the test peer 10.48.36.5:45000 "
                + "over TCP: 447 Connection Timeout or Failure to Connect (the relay's TCP connection to the peer was "
                + "refused or timed out)");
        assertThat(r.findings().get(0).fix()).contains("outbound TCP from the relay address");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.RELAY_FAILED);
    }

    @Test
    void connectRefused446IsAConnectionTheServerStillHolds() {
        RelayCheck refused = new RelayCheck(RelayCheck.Status.FAILED, new InetSocketAddress("10.48.36.5", 45000), false,
                false, null, new ErrorCode(446, "Connection Already Exists"), "Connect refused", null);

        ServerReport r = diagnose(allocated("10.0.0.5", PRIVATE_CLIENT, "10.0.0.5", refused, null));

        assertThat(r.findings()).extracting(Finding::code).containsExactly("tcp-connection-exists");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.RELAY_FAILED);
    }

    @Test
    void allocateRefused442IsAServerWithoutTcpRelays() {
        ServerReport base = allocated("10.0.0.5", PRIVATE_CLIENT, "10.0.0.5", RelayCheck.NOT_RUN, null);
        ServerReport refused = new ServerReport(base.server(), base.address(), base.transports(), base.transport(),
                base.roundTrip(), base.mappedAddress(), base.credentials(), new AllocationCheck(
                        AllocationCheck.Status.REFUSED, null, null, new ErrorCode(442, "Unsupported Transport Protocol"),
                        "", null, RelayTransport.TCP), RelayCheck.NOT_RUN, List.of());

        ServerReport r = diagnose(refused);

        assertThat(r.findings()).extracting(Finding::code).containsExactly("tcp-relay-unsupported");
        assertThat(r.findings().get(0).problem()).isEqualTo("the server refused the allocation: 442 Unsupported "
                + "Transport Protocol (asked for a TCP relay: the server does not offer RFC 6062 TCP relays, or not to "
                + "this user)");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.ALLOCATION_REFUSED);
    }

    private static ServerReport diagnose(ServerReport facts) {
        return facts.withFindings(Diagnosis.of(facts));
    }

    private static RelayCheck withVia(RelayCheck r, boolean via) {
        return new RelayCheck(r.status(), r.peer(), r.peerToClient(), r.clientToPeer(), r.roundTrip(), r.error(), r.detail(), via);
    }

    private static ServerReport allocated(String checked, InetSocketAddress mapped, String relayed, RelayCheck relay,
            InetAddress clientAddress) {
        InetSocketAddress server = new InetSocketAddress(checked, 3478);
        return new ServerReport(new ServerAddress(checked, 3478), server.getAddress(),
                List.of(new TransportProbe(Transport.UDP, 3478, Outcome.ANSWERED, "", false)), Transport.UDP,
                new RoundTrip(Duration.ofMillis(5), 5, 5), mapped,
                new CredentialCheck(CredentialCheck.Status.ACCEPTED, "expturncreds", "TANDBERG", null, null),
                new AllocationCheck(AllocationCheck.Status.ALLOCATED, new InetSocketAddress(relayed, 24012),
                        Duration.ofSeconds(600), null, "", clientAddress), relay, List.of());
    }

    private static ServerReport unreachable(TransportProbe... probes) {
        return new ServerReport(new ServerAddress("192.0.2.9", 3478), null, List.of(probes), null, null, null,
                new CredentialCheck(CredentialCheck.Status.NOT_TESTED, null, null, null, null),
                new AllocationCheck(AllocationCheck.Status.NOT_TESTED, null, null, null, "", null), RelayCheck.NOT_RUN,
                List.of());
    }
}
