package dev.turnlab.client.check;

import static dev.turnlab.testing.LoopbackServers.PASSWORD;
import static dev.turnlab.testing.LoopbackServers.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.check.ServerReport.AllocationCheck;
import dev.turnlab.client.check.ServerReport.RelayCheck;
import dev.turnlab.codec.attribute.AddressFamily;
import dev.turnlab.server.TurnServer;
import dev.turnlab.testing.LoopbackServers;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * turn-check against a server on {@code ::1} ({@code --server [::1]:PORT}): the relay test's peer is on
 * an address of the relay's family, which need not be the family of the address checked (RFC 8656 §7.2:
 * without REQUESTED-ADDRESS-FAMILY the relay is IPv4). Skipped when the machine has no IPv6 loopback.
 */
class TurnCheckIpv6Test {

    private static final CheckOptions CHECK = CheckOptions.DEFAULTS.withCredentials(USER, PASSWORD)
            .withTimeout(Duration.ofSeconds(2)).withProbes(3).withRelayTest(true);

    @BeforeAll
    static void ipv6Loopback() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            assertThat(s.getLocalAddress()).isInstanceOf(Inet6Address.class);
        } catch (IOException e) {
            Assumptions.abort("no usable IPv6 loopback (::1) on this machine: " + e);
        }
    }

    @Test
    void aDualStackServerCheckedOnIpv6PassesWithItsDefaultIpv4Relay() throws Exception {
        try (TurnServer server = LoopbackServers.standard().listen("::1").build().start()) {
            ServerReport r = TurnCheck.run(ServerAddress.parse("[::1]:" + port(server, "::1")), CHECK);

            assertThat(r.findings()).as("%s", r).isEmpty();
            assertThat(r.mappedAddress().getAddress()).isEqualTo(InetAddress.getByName("::1"));
            assertThat(r.allocation().relayedAddress().getAddress()).isInstanceOf(Inet4Address.class);
            assertThat(r.relay().status()).as("%s", r.relay()).isEqualTo(RelayCheck.Status.PASSED);
            assertThat(r.relay().peer().getAddress()).isInstanceOf(Inet4Address.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "127.0.0.1"})
    void anIpv6RelayAskedForPassesTheRelayTestFromEitherFamily(String checked) throws Exception {
        try (TurnServer server = LoopbackServers.standard().listen("::1").build().start()) {
            ServerAddress address = new ServerAddress(checked, port(server, checked));
            ServerReport r = TurnCheck.run(address, CHECK.withRelayFamily(AddressFamily.IPV6));

            assertThat(r.findings()).as("%s", r).isEmpty();
            assertThat(r.allocation().relayedAddress().getAddress()).isEqualTo(InetAddress.getByName("::1"));
            assertThat(r.relay().status()).as("%s", r.relay()).isEqualTo(RelayCheck.Status.PASSED);
            assertThat(r.relay().peer().getAddress()).isEqualTo(InetAddress.getByName("::1"));
        }
    }

    @Test
    void anIpv6OnlyServerRefusesTheDefaultIpv4RelayWith440() throws Exception {
        try (TurnServer server = LoopbackServers.standard().listen("::1").relayAddress("::1").build().start()) {
            ServerReport r = TurnCheck.run(ServerAddress.parse("[::1]:" + port(server, "::1")), CHECK);

            assertThat(r.allocation().status()).isEqualTo(AllocationCheck.Status.REFUSED);
            assertThat(r.allocation().error().code()).isEqualTo(440);
            assertThat(r.findings()).extracting(Finding::code).containsExactly("allocation-address-family");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.ALLOCATION_REFUSED);
        }
    }

    static int port(TurnServer server, String address) throws IOException {
        InetAddress wanted = InetAddress.getByName(address);
        return server.udpAddresses().stream().filter(a -> a.getAddress().equals(wanted)).findFirst()
                .orElseThrow(() -> new AssertionError("no listener on " + address)).getPort();
    }
}
