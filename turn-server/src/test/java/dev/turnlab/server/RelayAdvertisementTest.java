package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.relay.RelayEndpoints;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The relays part of the start-up line, from the relay endpoints and the configured external addresses. */
class RelayAdvertisementTest {

    private static final PortRange EXPRESSWAY = new PortRange(24000, 29999);

    @Test
    void aWildcardBindAdvertisedAsTheConfiguredExternalAddressAndAnIpv6OneDiscovered() throws Exception {
        RelayEndpoints endpoints = new RelayEndpoints(ip("0.0.0.0"), ip("198.51.100.7"), ip("::"), ip("2001:db8::7"));

        String line = RelayAdvertisement.describe(RelayAdvertisement.of(endpoints, List.of(ip("198.51.100.7"))), EXPRESSWAY);

        assertThat(line).isEqualTo("0.0.0.0:24000-29999 advertised as 198.51.100.7 (configured --external-address),"
                + " [::]:24000-29999 advertised as 2001:db8::7 (discovered host address, documentation)");
    }

    @Test
    void aStaticNatLayoutAndAConcreteRelayAddress() throws Exception {
        assertThat(describe(new RelayEndpoints(ip("10.0.0.5"), ip("198.51.100.7"), null, null), ip("198.51.100.7")))
                .isEqualTo("10.0.0.5:24000-29999 advertised as 198.51.100.7 (configured --external-address)");
        assertThat(describe(new RelayEndpoints(ip("10.0.0.5"), ip("10.0.0.5"), null, null)))
                .isEqualTo("10.0.0.5:24000-29999 advertised as 10.0.0.5 (the bound address)");
    }

    @Test
    void aDiscoveredAddressClientsAreUnlikelyToReachIsMarked() throws Exception {
        assertThat(describe(new RelayEndpoints(ip("0.0.0.0"), ip("192.168.1.20"), ip("::"), ip("fd00::2"))))
                .isEqualTo("0.0.0.0:24000-29999 advertised as 192.168.1.20 (discovered host address, private),"
                        + " [::]:24000-29999 advertised as fd00::2 (discovered host address, private)");
        // Carrier-grade NAT's shared address space (RFC 6598) is no more reachable than RFC 1918.
        assertThat(describe(new RelayEndpoints(ip("0.0.0.0"), ip("100.64.0.9"), null, null)))
                .isEqualTo("0.0.0.0:24000-29999 advertised as 100.64.0.9 (discovered host address, private)");
        assertThat(describe(new RelayEndpoints(ip("0.0.0.0"), ip("127.0.0.1"), null, null)))
                .isEqualTo("0.0.0.0:24000-29999 advertised as 127.0.0.1 (discovered host address, loopback: no other"
                        + " address is up)");
    }

    private static String describe(RelayEndpoints endpoints, InetAddress... external) {
        return RelayAdvertisement.describe(RelayAdvertisement.of(endpoints, List.of(external)), EXPRESSWAY);
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }
}
