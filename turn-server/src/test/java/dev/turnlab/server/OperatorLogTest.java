package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.relayed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.testing.tools.CapturedLog;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an operator reads in the log: where the relays are bound and what they are advertised as, and the
 * server address a client reached (see {@link RefusalLogTest} for refused peers).
 */
class OperatorLogTest {

    private final MutableClock clock = MutableClock.now();
    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    @Test
    void theStartUpLineShowsTheRelayAddressAndTheConfiguredExternalAddress() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).relayAddress("127.0.0.1").externalAddress("198.51.100.7")
                .build().start()) {
            assertThat(startUpLine()).contains("relays 127.0.0.1:31000-31799 advertised as 198.51.100.7"
                    + " (configured --external-address) realm turnlab");
        }
    }

    @Test
    void withAWildcardRelayAddressTheStartUpLineSaysWhatIsAdvertisedAndThatItWasDiscovered() throws Exception {
        InetAddress host = RelayAddressDiscovery.hostAddress(Inet4Address.class);
        try (TurnServer server = TestServers.loopback(clock).relayAddress("0.0.0.0").build().start()) {
            assertThat(startUpLine()).contains("relays 0.0.0.0:31000-31799 advertised as " + host.getHostAddress()
                    + " (discovered host address");
            assertThat(server.relays()).containsExactly(new RelayAdvertisement(InetAddress.getByName("0.0.0.0"), host,
                    RelayAdvertisement.Origin.HOST_ADDRESS));
        }
    }

    @Test
    void bothFamiliesAreShownWhereBothHaveRelays() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).listen("::1").build().start()) {
            assertThat(startUpLine()).contains("relays 127.0.0.1:31000-31799 advertised as 127.0.0.1 (the bound address),"
                    + " [::1]:31000-31799 advertised as ::1 (the bound address)");
        }
    }

    @Test
    void aTcpClientOfAWildcardListenerIsLoggedWithTheAddressItReached() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).listen("0.0.0.0").build().start()) {
            // listen() adds to the loopback default: take the wildcard's port.
            InetSocketAddress wildcard = server.tcpAddresses().stream().filter(a -> a.getAddress().isAnyLocalAddress())
                    .findFirst().orElseThrow();
            InetSocketAddress reached = new InetSocketAddress("127.0.0.1", wildcard.getPort());
            try (BlockingClient client = BlockingClient.tcp(reached, "alice", "alice-secret")) {
                relayed(client.allocate());
            }
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("TURN allocation created")
                    .contains("->127.0.0.1:" + wildcard.getPort()).doesNotContain("0.0.0.0"));
        }
    }

    private String startUpLine() {
        return log.lines().stream().filter(l -> l.startsWith("TURN server started")).findFirst().orElseThrow();
    }
}
