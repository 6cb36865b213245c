package dev.turnlab.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** One classification of the host's addresses, by the registries peers are judged by. */
class AddressScopeTest {

    @ParameterizedTest
    @CsvSource({"127.0.0.1, LOOPBACK", "127.3.2.1, LOOPBACK", "::1, LOOPBACK", "::ffff:127.0.0.1, LOOPBACK",
            "169.254.7.7, LINK_LOCAL", "fe80::1, LINK_LOCAL",
            "10.1.2.3, PRIVATE", "172.20.0.1, PRIVATE", "192.168.1.20, PRIVATE", "100.64.0.1, PRIVATE",
            "100.127.255.254, PRIVATE", "fd00::2, PRIVATE", "fc00::1, PRIVATE", "fec0::1, PRIVATE",
            "2002:c0a8:101::1, PRIVATE", "64:ff9b::10.0.0.1, PRIVATE",
            "192.0.2.1, DOCUMENTATION", "198.51.100.7, DOCUMENTATION", "203.0.113.9, DOCUMENTATION",
            "2001:db8::7, DOCUMENTATION", "3fff::1, DOCUMENTATION",
            "224.0.0.1, SPECIAL", "198.18.0.1, SPECIAL", "0.1.2.3, SPECIAL", "ff02::1, SPECIAL",
            "93.184.216.34, GLOBAL", "100.128.0.1, GLOBAL", "172.32.0.1, GLOBAL", "2606:2800:220:1::1, GLOBAL",
            "fe00::1, GLOBAL"})
    void scopeOf(String ip, AddressScope scope) throws Exception {
        assertThat(AddressScope.of(InetAddress.getByName(ip))).isEqualTo(scope);
    }

    /** Every registry entry has a scope, and every prefix named for one is an entry: they cannot drift apart. */
    @Test
    void everyEntryOfTheRegistriesIsNotGlobal() {
        Set<AddressScope> seen = new HashSet<>();
        for (PeerRule entry : PeerPolicy.SPECIAL_IPV4_RULES) {
            seen.add(AddressScope.of(address(entry.prefix().network())));
        }
        for (PeerRule entry : PeerPolicy.SPECIAL_IPV6_RULES) {
            seen.add(AddressScope.of(address(entry.prefix().network())));
        }
        assertThat(seen).doesNotContain(AddressScope.GLOBAL)
                .containsExactlyInAnyOrder(AddressScope.LOOPBACK, AddressScope.LINK_LOCAL, AddressScope.PRIVATE,
                        AddressScope.DOCUMENTATION, AddressScope.SPECIAL);
    }

    private static InetAddress address(byte[] a) {
        try {
            return InetAddress.getByAddress(a);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
