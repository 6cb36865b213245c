package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Transport addresses as text: IPv6 literals in brackets (RFC 3986 §3.2.2), the port optional, nothing ambiguous. */
class HostPortTest {

    @ParameterizedTest
    @CsvSource({"turn.example.com, turn.example.com, -1", "10.48.36.248:3478, 10.48.36.248, 3478",
        "[::1]:3478, ::1, 3478", "[::1], ::1, -1", "2001:db8::1, 2001:db8::1, -1", "' h:0 ', h, 0",
        "[2001:db8::7]:65535, 2001:db8::7, 65535", "::1:3478, ::1:3478, -1"})
    void readsHostsWithAndWithoutPorts(String text, String host, int port) {
        assertThat(HostPort.parse(text)).isEqualTo(new HostPort(host, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", ":3478", "h:", "h:65536", "h:http", "h:+80", "h:-1", "[::1", "::1]:3478",
        "[127.0.0.1]:3478", "[]:3478", "[::1]x", "[::1]:", "a:b:c"})
    void refusesWhatIsAmbiguousOrOutOfRange(String text) {
        assertThatThrownBy(() -> HostPort.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsIpv6InTheShortFormWithoutAScope() throws Exception {
        assertThat(HostPort.format(new InetSocketAddress(InetAddress.getByName("::1"), 3478))).isEqualTo("[::1]:3478");
        assertThat(HostPort.format(new InetSocketAddress(InetAddress.getByName("fe80::1%1"), 5349)))
                .isEqualTo("[fe80::1]:5349");
        assertThat(HostPort.format(InetSocketAddress.createUnresolved("turn.example.com", 3478)))
                .isEqualTo("turn.example.com:3478");
        assertThat(new HostPort("::1", HostPort.NO_PORT)).hasToString("[::1]");
    }

    @Property
    void formatThenParseResolvesToTheSameAddress(@ForAll @Size(16) byte[] address,
            @ForAll @IntRange(min = 0, max = 65535) int port) throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByAddress(address), port);

        assertThat(HostPort.parse(HostPort.format(a)).resolve()).isEqualTo(a);
    }

    @Property
    void toStringThenParseIsIdentity(@ForAll @Size(4) byte[] address, @ForAll @IntRange(min = -1, max = 65535) int port)
            throws Exception {
        HostPort h = new HostPort(InetAddress.getByAddress(address).getHostAddress(), port);

        assertThat(HostPort.parse(h.toString())).isEqualTo(h);
    }
}
