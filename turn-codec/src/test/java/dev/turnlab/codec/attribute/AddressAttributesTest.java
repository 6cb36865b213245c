package dev.turnlab.codec.attribute;

import static dev.turnlab.codec.Wire.assertAttribute;
import static dev.turnlab.codec.Wire.assertMalformed;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The address attributes: the plain ones of RFC 8489 §14.1/§14.15, RFC 5780 §7.3/§7.4 and RFC 3489
 * §11.2, and the XOR'ed ones of RFC 8489 §14.2 and RFC 8656 §18.3/§18.5, checked against RFC 5769.
 */
class AddressAttributesTest {

    // The addresses of RFC 5769 §2.2 and §2.3, port 32853 = 0x8055.
    static final InetSocketAddress V4 = new InetSocketAddress("192.0.2.1", 32853);
    static final InetSocketAddress V6 = new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853);

    static Stream<Arguments> plain() {
        return Stream.of(
                Arguments.of("0001", (Function<InetSocketAddress, StunAttribute>) MappedAddress::new),
                Arguments.of("0002", (Function<InetSocketAddress, StunAttribute>) ResponseAddress::new),
                Arguments.of("0004", (Function<InetSocketAddress, StunAttribute>) SourceAddress::new),
                Arguments.of("0005", (Function<InetSocketAddress, StunAttribute>) ChangedAddress::new),
                Arguments.of("000b", (Function<InetSocketAddress, StunAttribute>) ReflectedFrom::new),
                Arguments.of("8023", (Function<InetSocketAddress, StunAttribute>) AlternateServer::new),
                Arguments.of("802b", (Function<InetSocketAddress, StunAttribute>) ResponseOrigin::new),
                Arguments.of("802c", (Function<InetSocketAddress, StunAttribute>) OtherAddress::new));
    }

    static Stream<Arguments> xored() {
        return Stream.of(
                Arguments.of("0020", (Function<InetSocketAddress, StunAttribute>) XorMappedAddress::new),
                Arguments.of("0012", (Function<InetSocketAddress, StunAttribute>) XorPeerAddress::new),
                Arguments.of("0016", (Function<InetSocketAddress, StunAttribute>) XorRelayedAddress::new));
    }

    @ParameterizedTest(name = "type {0}")
    @MethodSource("plain")
    void plainIpv4IsReservedFamilyPortAddress(String type, Function<InetSocketAddress, StunAttribute> of) {
        assertAttribute(of.apply(V4), type + "0008 00 01 8055 c0000201");
    }

    @ParameterizedTest(name = "type {0}")
    @MethodSource("plain")
    void plainIpv6CarriesAll16Bytes(String type, Function<InetSocketAddress, StunAttribute> of) {
        assertAttribute(of.apply(V6), type + "0014 00 02 8055 20010db8 12345678 00112233 44556677");
    }

    @ParameterizedTest(name = "type {0}")
    @MethodSource("xored")
    void xorIpv4IsXoredWithTheMagicCookie(String type, Function<InetSocketAddress, StunAttribute> of) {
        // RFC 5769 §2.2: port 0x8055 ^ 0x2112 = 0xa147, 192.0.2.1 ^ 0x2112a442 = e112a643.
        assertAttribute(of.apply(V4), type + "0008 00 01 a147 e112a643");
    }

    @ParameterizedTest(name = "type {0}")
    @MethodSource("xored")
    void xorIpv6IsXoredWithTheCookieAndTransactionId(String type, Function<InetSocketAddress, StunAttribute> of) {
        // RFC 5769 §2.3, transaction id b7e7a701bc34d686fa87dfae.
        assertAttribute(of.apply(V6), type + "0014 00 02 a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9");
    }

    @Test
    void anUnknownFamilyIsMalformed() {
        assertMalformed("0001 0008 00 03 8055 c0000201",
                "MAPPED-ADDRESS: family 0x03 (expected: 0x01 IPv4 or 0x02 IPv6)");
    }

    @Test
    void anIpv4FamilyWithIpv6LengthIsMalformed() {
        assertMalformed("0020 0014 00 01 a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9",
                "XOR-MAPPED-ADDRESS: 20 bytes for family IPv4 (expected: 8)");
    }

    @Test
    void anIpv6FamilyWithIpv4LengthIsMalformed() {
        assertMalformed("802c 0008 00 02 8055 c0000201", "OTHER-ADDRESS: 8 bytes for family IPv6 (expected: 20)");
    }

    @Test
    void aValueShorterThanFamilyAndPortIsMalformed() {
        assertMalformed("8023 0002 0001 0000", "ALTERNATE-SERVER: 2 bytes (expected: 8 or 20)");
    }

    @Test
    void anUnresolvedAddressIsRefusedByTheConstructor() {
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("turn.example.org", 3478);
        assertThatThrownBy(() -> new AlternateServer(unresolved))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ALTERNATE-SERVER: ")
                .hasMessageEndingWith("(expected: a resolved address)");
        assertThatThrownBy(() -> new ReflectedFrom(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
