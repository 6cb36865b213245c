package dev.turnlab.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Peers on the advertised address are this server's relays, reached on the bound address and reported back. */
class RelayEndpointsTest {

    private static final RelayEndpoints NATTED = new RelayEndpoints(ip("10.0.10.2"), ip("203.0.113.5"),
            ip("fd00::2"), ip("2001:db8::5"));

    @Test
    void anAdvertisedAddressIsReachedOnTheBoundOneWithItsPort() {
        assertThat(NATTED.inward(peer("203.0.113.5", 24002))).isEqualTo(peer("10.0.10.2", 24002));
        assertThat(NATTED.inward(peer("2001:db8::5", 24002))).isEqualTo(peer("fd00::2", 24002));
        assertThat(NATTED.inward(peer("198.51.100.9", 24002))).isEqualTo(peer("198.51.100.9", 24002));
        assertThat(NATTED.inward(peer("10.0.10.2", 24002))).isEqualTo(peer("10.0.10.2", 24002));
    }

    @Test
    void theBoundAddressIsReportedAsTheAdvertisedOne() {
        assertThat(NATTED.outward(peer("10.0.10.2", 24000))).isEqualTo(peer("203.0.113.5", 24000));
        assertThat(NATTED.outward(peer("fd00::2", 24000))).isEqualTo(peer("2001:db8::5", 24000));
        assertThat(NATTED.outward(peer("198.51.100.9", 5000))).isEqualTo(peer("198.51.100.9", 5000));
    }

    @Test
    void nothingIsMappedWithoutADistinctConcreteBoundAddress() {
        RelayEndpoints plain = new RelayEndpoints(ip("192.0.2.1"), ip("192.0.2.1"), null, null);
        RelayEndpoints wildcard = new RelayEndpoints(ip("0.0.0.0"), ip("203.0.113.5"), null, null);
        for (RelayEndpoints e : new RelayEndpoints[] {plain, wildcard}) {
            assertThat(e.inward(peer("203.0.113.5", 24002))).isEqualTo(peer("203.0.113.5", 24002));
            assertThat(e.outward(peer("0.0.0.0", 24002))).isEqualTo(peer("0.0.0.0", 24002));
            assertThat(e.outward(peer("192.0.2.1", 24002))).isEqualTo(peer("192.0.2.1", 24002));
        }
    }

    private static InetAddress ip(String text) {
        return new InetSocketAddress(text, 0).getAddress();
    }

    private static InetSocketAddress peer(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }
}
