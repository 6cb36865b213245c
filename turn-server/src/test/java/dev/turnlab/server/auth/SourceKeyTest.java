package dev.turnlab.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** A source is an IPv4 address or an IPv6 /64. */
class SourceKeyTest {

    @Test
    void ipv4AddressesAreSourcesOfTheirOwn() throws Exception {
        assertThat(SourceKey.of(InetAddress.getByName("192.0.2.1"))).isEqualTo(0xC0000201L);
        assertThat(SourceKey.of(InetAddress.getByName("192.0.2.2"))).isNotEqualTo(SourceKey.of(InetAddress.getByName("192.0.2.1")));
    }

    @Test
    void anIpv6SourceIsItsFirst64Bits() throws Exception {
        assertThat(SourceKey.of(InetAddress.getByName("2001:db8:1:2::1"))).isEqualTo(0x20010DB800010002L);
    }

    @Property
    void ipv6AddressesShareAKeyExactlyWhenTheyShareTheirSlash64(@ForAll @Size(16) byte[] a, @ForAll @Size(16) byte[] b)
            throws Exception {
        System.arraycopy(a, 0, b, 0, (a[15] & 1) == 0 ? 8 : 4); // half of them in one /64, the rest in one /32
        boolean sameSlash64 = java.util.Arrays.equals(a, 0, 8, b, 0, 8);
        InetAddress x = InetAddress.getByAddress(a);
        InetAddress y = InetAddress.getByAddress(b);
        // Java turns IPv4-mapped bytes into an IPv4 address, keyed as such.
        if (x instanceof java.net.Inet6Address && y instanceof java.net.Inet6Address) {
            assertThat(SourceKey.of(x) == SourceKey.of(y)).isEqualTo(sameSlash64);
        }
    }
}
