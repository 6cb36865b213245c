package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.attribute.ChangeRequest;
import dev.turnlab.codec.attribute.ChangedAddress;
import dev.turnlab.codec.attribute.MappedAddress;
import dev.turnlab.codec.attribute.SourceAddress;
import dev.turnlab.codec.attribute.XorMappedAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** RFC 3489 §11.1 messages: no magic cookie, a 128-bit transaction id, answered in kind. */
class ClassicMessageTest {

    static final String TID = "0123456789abcdeffedcba9876543210";

    // A classic Binding Request asking for a response from the other address and port (RFC 3489 §11.2.4).
    static final String REQUEST = "0001 0008 " + TID + " 0003 0004 00000006";

    @Test
    void aRequestWithoutMagicCookieDecodesWithA128BitTransactionId() {
        StunMessage request = Wire.decode(REQUEST);
        assertThat(request.isClassic()).isTrue();
        assertThat(request.transactionId().length()).isEqualTo(16);
        assertThat(request.transactionId()).hasToString(TID);
        assertThat(request.method()).isEqualTo(Method.BINDING);
        assertThat(request.stunClass()).isEqualTo(StunClass.REQUEST);
        assertThat(request.attributes()).containsExactly(new ChangeRequest(true, true));
    }

    @Test
    void itsResponseEchoesTheWholeIdWhereTheCookieWouldBe() {
        StunMessage request = Wire.decode(REQUEST);
        StunMessage response = StunMessage.successResponse(request)
                .add(new MappedAddress(new InetSocketAddress("192.0.2.1", 32853)),
                        new SourceAddress(new InetSocketAddress("198.51.100.2", 3479)),
                        new ChangedAddress(new InetSocketAddress("198.51.100.3", 3479)))
                .build();
        String expected = "0101 0024 " + TID
                + " 0001 0008 0001 8055 c0000201"
                + " 0004 0008 0001 0d97 c6336402"
                + " 0005 0008 0001 0d97 c6336403";
        assertThat(Wire.encode(response)).isEqualTo(Wire.hex(Wire.bytes(expected)));
        assertThat(Wire.decode(expected)).isEqualTo(response);
    }

    @Test
    void aModernMessageIsTheOneWithTheCookie() {
        StunMessage modern = Wire.decode("0001 0000 2112a442 " + TID.substring(8));
        assertThat(modern.isClassic()).isFalse();
        assertThat(modern.transactionId()).hasToString(TID.substring(8));
    }
    // RFC 8489 §14.2 XORs the port with the top 16 bits of the magic cookie and the address with the
    // cookie and the transaction id: the 16 header bytes after the length field. A classic message
    // holds its 128-bit transaction id there, so those are the bytes that obscure the address, as
    // the RFC 3489bis-era servers that sent XOR-MAPPED-ADDRESS to classic clients did.
    @Test
    void xorMappedAddressInAClassicMessageIsXoredWithTheBytesWhereTheCookieWouldBe() {
        String ipv4 = "0101 000c " + TID + " 0020 0008 0001 8176 c1234766";
        StunMessage response = StunMessage.builder(Method.BINDING, StunClass.SUCCESS_RESPONSE)
                .transactionId(TransactionId.ofHex(TID))
                .add(new XorMappedAddress(new InetSocketAddress("192.0.2.1", 32853)))
                .build();
        assertThat(Wire.encode(response)).isEqualTo(Wire.hex(Wire.bytes(ipv4)));
        assertThat(Wire.decode(ipv4)).isEqualTo(response);
    }

    @Test
    void anIpv6XorMappedAddressInAClassicMessageIsXoredWithTheWhole128BitId() {
        String ipv6 = "0101 0018 " + TID + " 0020 0014 0002 8176 212248df9b9f9b97fecd98ab32015467";
        StunMessage response = StunMessage.builder(Method.BINDING, StunClass.SUCCESS_RESPONSE)
                .transactionId(TransactionId.ofHex(TID))
                .add(new XorMappedAddress(new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853)))
                .build();
        assertThat(Wire.encode(response)).isEqualTo(Wire.hex(Wire.bytes(ipv6)));
        assertThat(Wire.decode(ipv6)).isEqualTo(response);
    }
}
