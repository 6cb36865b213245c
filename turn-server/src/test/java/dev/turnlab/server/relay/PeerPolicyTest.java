package dev.turnlab.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Peer filtering (RFC 8656 §21.2.3): special-purpose addresses refused unless allowed. */
class PeerPolicyTest {

    private final PeerPolicy defaults = new PeerPolicy(false, List.of(), List.of(), Set.of());

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.1.1",
            "100.64.0.1", "0.0.0.0", "224.0.0.1", "239.255.255.250", "255.255.255.255", "192.0.2.1", "198.18.0.1",
            "::1", "::", "fe80::1", "fc00::1", "fd12::1", "ff02::1", "2001:db8::1", "::ffff:10.0.0.1"})
    void specialPurposeAddressesAreRefused(String ip) {
        assertThat(defaults.permits(new InetSocketAddress(ip, 5000))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "172.32.0.1", "192.169.0.1", "2a00:1450::1", "1.1.1.1"})
    void globalAddressesArePermitted(String ip) {
        assertThat(defaults.permits(new InetSocketAddress(ip, 5000))).isTrue();
    }

    @Test
    void loopbackWhenAllowed() {
        PeerPolicy p = new PeerPolicy(true, List.of(), List.of(), Set.of());
        assertThat(p.permits(new InetSocketAddress("127.0.0.1", 5000))).isTrue();
        assertThat(p.permits(new InetSocketAddress("::1", 5000))).isTrue();
        assertThat(p.permits(new InetSocketAddress("10.0.0.1", 5000))).isFalse();
    }

    @Test
    void allowBeatsDenyBeatsDefaults() {
        PeerPolicy p = new PeerPolicy(false, List.of(Cidr.parse("10.1.0.0/16")),
                List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("8.8.8.0/24")), Set.of());
        assertThat(p.permits(new InetSocketAddress("10.1.2.3", 1))).isTrue();
        assertThat(p.permits(new InetSocketAddress("10.2.2.3", 1))).isFalse();
        assertThat(p.permits(new InetSocketAddress("8.8.8.8", 1))).isFalse();
        assertThat(p.permits(new InetSocketAddress("8.8.4.4", 1))).isTrue();
    }

    @Test
    void ownListeningSocketsAreNeverPeers() {
        PeerPolicy p = new PeerPolicy(true, List.of(Cidr.parse("0.0.0.0/0")), List.of(), Set.of());
        p.ownSockets(Set.of(new InetSocketAddress("127.0.0.1", 3478), new InetSocketAddress("0.0.0.0", 5349)));
        assertThat(p.permits(new InetSocketAddress("127.0.0.1", 3478))).isFalse();
        assertThat(p.permits(new InetSocketAddress("127.0.0.1", 5349))).isFalse();
        assertThat(p.permits(new InetSocketAddress("127.0.0.1", 3479))).isTrue();
    }

    @Test
    void relayPortsOnRelayAddressesAreNeverPeers() throws Exception {
        PeerPolicy p = new PeerPolicy(true, List.of(Cidr.parse("0.0.0.0/0")), List.of(), Set.of());
        p.relaySockets(Set.of(java.net.InetAddress.getByName("0.0.0.0")), 24000, 24010);
        assertThat(p.permits(new InetSocketAddress("127.0.0.1", 24005))).isFalse();
        assertThat(p.permits(new InetSocketAddress("::ffff:127.0.0.1", 24010))).isFalse();
        assertThat(p.permits(new InetSocketAddress("127.0.0.1", 23999))).isTrue();
        p.relayOpened(40000);
        assertThat(p.permits(new InetSocketAddress("127.0.0.1", 40000))).isFalse();
        p.relayClosed(40000);
        assertThat(p.permits(new InetSocketAddress("127.0.0.1", 40000))).isTrue();
    }

    @Test
    void cidrParsingAndMatching() {
        assertThat(Cidr.parse("192.168.1.77/24").toString()).isEqualTo("192.168.1.0/24");
        assertThat(Cidr.parse("fe80::1/10").contains(new InetSocketAddress("febf::1", 0).getAddress())).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(new InetSocketAddress("::1", 0).getAddress())).isFalse();
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessage("cidr: /33 (expected: 0-32)");
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).hasMessageStartingWith("cidr: example.com/8");
    }
}
