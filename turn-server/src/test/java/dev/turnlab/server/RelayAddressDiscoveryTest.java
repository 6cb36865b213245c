package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.allocation.Lifetimes;
import dev.turnlab.server.relay.RelayEndpoints;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Where relays bind and what XOR-RELAYED-ADDRESS advertises for them, per address family (RFC 8656 §7.2). */
class RelayAddressDiscoveryTest {

    /** A host with a global IPv4 address and no IPv6 one. */
    private static final Function<Class<? extends InetAddress>, InetAddress> HOST = family -> Map.<Class<?>, InetAddress>of(
            Inet4Address.class, ip("198.51.100.20")).get(family);

    @Test
    void relaysBindToTheConcreteListeningAddressAndAdvertiseIt() {
        assertThat(endpoints(relay(List.of(), List.of()), "10.0.0.5"))
                .isEqualTo(new RelayEndpoints(ip("10.0.0.5"), ip("10.0.0.5"), null, null));
    }

    @Test
    void aConfiguredRelayAddressReplacesTheListeningOneAndAnExternalAddressIsAdvertised() {
        assertThat(endpoints(relay(List.of(ip("10.0.0.6")), List.of(ip("203.0.113.9"))), "10.0.0.5"))
                .isEqualTo(new RelayEndpoints(ip("10.0.0.6"), ip("203.0.113.9"), null, null));
    }

    @Test
    void aWildcardIsAdvertisedAsTheHostsAddressOfTheFamily() {
        assertThat(endpoints(relay(List.of(), List.of()), "0.0.0.0"))
                .isEqualTo(new RelayEndpoints(ip("0.0.0.0"), ip("198.51.100.20"), null, null));
    }

    @Test
    void aFamilyWithNothingToAdvertiseHasNoRelays() {
        assertThat(endpoints(relay(List.of(), List.of()), "0.0.0.0", "::"))
                .isEqualTo(new RelayEndpoints(ip("0.0.0.0"), ip("198.51.100.20"), null, null));
        assertThat(endpoints(relay(List.of(), List.of(ip("2001:db8::7"))), "0.0.0.0", "::"))
                .isEqualTo(new RelayEndpoints(ip("0.0.0.0"), ip("198.51.100.20"), ip("::"), ip("2001:db8::7")));
    }

    @Test
    void theHostAddressIsTheFirstGlobalElsePrivateElseLoopbackOneAndNeverLinkLocal() {
        List<InetAddress> up = List.of(ip("127.0.0.1"), ip("169.254.1.1"), ip("192.168.1.20"), ip("::1"),
                ip("fe80::1"), ip("198.51.100.20"), ip("8.8.8.8"));
        assertThat(RelayAddressDiscovery.hostAddress(Inet4Address.class, up)).isEqualTo(ip("8.8.8.8"));
        assertThat(RelayAddressDiscovery.hostAddress(Inet4Address.class, up.subList(0, 3))).isEqualTo(ip("192.168.1.20"));
        assertThat(RelayAddressDiscovery.hostAddress(Inet4Address.class, up.subList(0, 2))).isEqualTo(ip("127.0.0.1"));
        assertThat(RelayAddressDiscovery.hostAddress(Inet6Address.class, up)).isEqualTo(ip("::1"));
        assertThat(RelayAddressDiscovery.hostAddress(Inet6Address.class, List.of(ip("fe80::1")))).isNull();
    }

    private static RelayEndpoints endpoints(RelayConfig relay, String... listen) {
        return RelayAddressDiscovery.endpoints(relay, List.of(listen).stream().map(RelayAddressDiscoveryTest::ip).toList(),
                HOST);
    }

    private static RelayConfig relay(List<InetAddress> relayAddresses, List<InetAddress> externalAddresses) {
        return new RelayConfig(PortRange.EXPRESSWAY, relayAddresses, externalAddresses, false, List.of(), List.of(),
                Lifetimes.RFC_8656, true);
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
