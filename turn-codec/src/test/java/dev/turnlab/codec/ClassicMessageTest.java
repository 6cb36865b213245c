package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.attribute.ChangeRequest;
import dev.turnlab.codec.attribute.ChangedAddress;
import dev.turnlab.codec.attribute.MappedAddress;
import dev.turnlab.codec.attribute.SourceAddress;
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
}
