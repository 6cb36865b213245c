package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which addresses the UDP listeners bind to for the listening addresses given, on a made-up dual-stack host. */
class UdpListenAddressesTest {

    /** As Java lists a host's addresses: interface by interface, scoped IPv6, link-local included. */
    private static final List<InetAddress> HOST = ips("fe80::fc:ff:fe00:1%2", "fd00::2%2", "192.0.2.2", "::1",
            "127.0.0.1", "198.51.100.9");

    @Test
    void theIpv4WildcardStandsForEveryIpv4AddressLoopbackFirst() {
        assertThat(UdpListenAddresses.of(ips("0.0.0.0"), HOST))
                .containsExactly(ips("127.0.0.1", "192.0.2.2", "198.51.100.9"));
    }

    @Test
    void theIpv6WildcardStandsForIpv6AddressesWithoutLinkLocalOnesAndIpv4OnesAsTheDualStackSocketDid() {
        List<List<InetAddress>> udp = UdpListenAddresses.of(ips("::"), HOST);
        assertThat(udp).containsExactly(ips("::1", "fd00::2", "127.0.0.1", "192.0.2.2", "198.51.100.9"));
        // No scope in what is bound and logged: [fd00::2], not [fd00:0:0:0:0:0:0:2%2].
        assertThat(udp.get(0).get(1).getHostAddress()).isEqualTo("fd00:0:0:0:0:0:0:2");
    }

    @Test
    void concreteAddressesStayAsGivenAndAWildcardSkipsWhatAnotherListeningAddressCovers() {
        assertThat(UdpListenAddresses.of(ips("0.0.0.0", "192.0.2.2"), HOST))
                .containsExactly(ips("127.0.0.1", "198.51.100.9"), ips("192.0.2.2"));
        assertThat(UdpListenAddresses.of(ips("0.0.0.0", "::"), HOST))
                .containsExactly(ips("127.0.0.1", "192.0.2.2", "198.51.100.9"), ips("::1", "fd00::2"));
        assertThat(UdpListenAddresses.of(ips("10.1.2.3"), HOST)).containsExactly(ips("10.1.2.3"));
    }

    @Test
    void aHostWithNothingUpButLoopbackListensOnLoopback() {
        assertThat(UdpListenAddresses.of(ips("0.0.0.0"), ips("127.0.0.1", "::1")))
                .containsExactly(ips("127.0.0.1"));
    }

    @Test
    void thisHostsIpv4WildcardIncludesLoopback() {
        assertThat(UdpListenAddresses.of(ips("0.0.0.0"), UdpListenAddresses.local()).get(0))
                .first().isEqualTo(InetAddress.getLoopbackAddress());
    }

    private static List<InetAddress> ips(String... addresses) {
        return Arrays.stream(addresses).map(a -> {
            try {
                return InetAddress.getByName(a);
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }
}
