package dev.turnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** HOST:PORT: IPv4, bracketed IPv6, names; anything ambiguous or out of range refused in one line. */
class HostPortConverterTest {

    @ParameterizedTest
    @CsvSource({"127.0.0.1:3478, 127.0.0.1, 3478", "[::1]:5349, ::1, 5349", "' 10.0.0.1:1 ', 10.0.0.1, 1",
        "[2001:db8::7]:65535, 2001:db8::7, 65535", "localhost:3478, 127.0.0.1, 3478"})
    void readsAddressesNamesAndPorts(String text, String address, int port) throws Exception {
        InetSocketAddress a = new HostPortConverter().convert(text);

        assertThat(a.getAddress()).isEqualTo(InetAddress.getByName(address));
        assertThat(a.getPort()).isEqualTo(port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:", ":3478", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:http",
        "127.0.0.1:-1", "127.0.0.1:+80", "::1:3478", "[::1:3478", "::1]:3478", "[127.0.0.1]:3478", "[]:3478", ""})
    void refusesWhatIsNotHostColonPortInOneLine(String text) {
        assertThatThrownBy(() -> new HostPortConverter().convert(text)).isInstanceOf(InvalidValueException.class)
                .hasMessage(text + " (expected: HOST:PORT with PORT 1-65535, an IPv6 address in brackets)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"no.such.host.invalid:3478"})
    void refusesAHostThatDoesNotResolve(String text) {
        assertThatThrownBy(() -> new HostPortConverter().convert(text)).isInstanceOf(InvalidValueException.class)
                .hasMessage(text + " (expected: HOST:PORT with a HOST that resolves)");
    }

    @Property
    void ipv4FormatThenParseIsIdentity(@ForAll @Size(4) byte[] address, @ForAll @IntRange(min = 1, max = 65535) int port)
            throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByAddress(address), port);

        assertThat(HostPortConverter.parse(HostPortConverter.format(a))).isEqualTo(a);
    }

    @Property
    void ipv6FormatThenParseIsIdentity(@ForAll @Size(16) byte[] address, @ForAll @IntRange(min = 1, max = 65535) int port)
            throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByAddress(address), port);

        assertThat(HostPortConverter.format(a)).startsWith(a.getAddress() instanceof java.net.Inet6Address ? "[" : "");
        assertThat(HostPortConverter.parse(HostPortConverter.format(a))).isEqualTo(a);
    }
}
