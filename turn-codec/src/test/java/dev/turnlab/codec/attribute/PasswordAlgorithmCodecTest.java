package dev.turnlab.codec.attribute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunCodecException;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.TransactionId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PASSWORD-ALGORITHM (RFC 8489 §14.12) and PASSWORD-ALGORITHMS (§14.11) on the wire. */
class PasswordAlgorithmCodecTest {

    static final TransactionId TID = TransactionId.ofHex("000102030405060708090a0b");
    static final PasswordAlgorithm WITH_PARAMETERS = new PasswordAlgorithm(0x1234, new byte[] {(byte) 0xaa, (byte) 0xbb, (byte) 0xcc});

    @Test
    void sha256IsAlgorithmTwoWithoutParameters() {
        assertThat(encode(PasswordAlgorithm.SHA256, (byte) 0)).isEqualTo("001d0004" + "00020000");
        assertThat(encode(PasswordAlgorithm.MD5, (byte) 0)).isEqualTo("001d0004" + "00010000");
    }

    @Test
    void parametersArePaddedByTheAttributeWithThePaddingByte() {
        assertThat(encode(WITH_PARAMETERS, (byte) 0x20)).isEqualTo("001d0007" + "12340003" + "aabbcc" + "20");
        assertThat(decode("001d0007" + "12340003" + "aabbcc" + "20")).isEqualTo(WITH_PARAMETERS);
    }

    @Test
    void aValueThatCountsTheParametersPaddingIsAccepted() {
        // §14.12 draws the padding inside the value; either reading of the length is accepted.
        assertThat(decode("001d0008" + "12340003" + "aabbcc" + "00")).isEqualTo(WITH_PARAMETERS);
    }

    @Test
    void aListPadsEachEntry() {
        PasswordAlgorithms list = PasswordAlgorithms.of(WITH_PARAMETERS, PasswordAlgorithm.MD5, PasswordAlgorithm.SHA256);
        String hex = "80020010" + "12340003" + "aabbcc00" + "00010000" + "00020000";
        assertThat(encode(list, (byte) 0x20)).isEqualTo(hex);
        assertThat(decode(hex)).isEqualTo(list);
    }

    @Test
    void aListWhoseLastEntryLeavesItsPaddingToTheAttributeIsAccepted() {
        PasswordAlgorithms list = PasswordAlgorithms.of(PasswordAlgorithm.SHA256, WITH_PARAMETERS);
        assertThat(decode("8002000b" + "00020000" + "12340003" + "aabbcc" + "00")).isEqualTo(list);
    }

    @Test
    void malformedValuesAreRejectedWithAReason() {
        assertThatThrownBy(() -> decode("001d0002" + "0002" + "0000")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PASSWORD-ALGORITHM");
        assertThatThrownBy(() -> decode("001d0004" + "00020004")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameters of 4 bytes, 0 left");
        assertThatThrownBy(() -> decode("001d000c" + "00020000" + "0000000000000000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12 bytes");
        assertThatThrownBy(() -> decode("80020006" + "00020000" + "0001" + "0000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PASSWORD-ALGORITHMS");
    }

    @Test
    void aMalformedValueInAMessageIsACodecException() {
        ByteBuf buf = Unpooled.wrappedBuffer(HexFormat.of().parseHex(
                "00010008" + "2112a442" + "000102030405060708090a0b" + "001d0004" + "00020009"));
        try {
            assertThatThrownBy(() -> StunMessageCodec.decode(buf)).isInstanceOf(StunCodecException.class)
                    .hasMessageContaining("malformed attribute at offset 20");
        } finally {
            buf.release();
        }
    }

    @Test
    void bothRoundTripThroughAMessage() {
        StunMessage m = StunMessage.request(Method.ALLOCATE).transactionId(TID)
                .add(PasswordAlgorithms.of(PasswordAlgorithm.SHA256, WITH_PARAMETERS, PasswordAlgorithm.MD5),
                        PasswordAlgorithm.SHA256)
                .build();
        ByteBuf out = Unpooled.buffer();
        try {
            StunMessageCodec.encode(m, out);
            assertThat(StunMessageCodec.decode(out)).isEqualTo(m);
        } finally {
            out.release();
        }
    }

    @Test
    void recordsCopyTheirParameters() {
        byte[] parameters = {1, 2};
        PasswordAlgorithm p = new PasswordAlgorithm(7, parameters);
        parameters[0] = 9;
        p.parameters()[1] = 9;
        assertThat(p.parameters()).containsExactly(1, 2);
        assertThat(p).isEqualTo(new PasswordAlgorithm(7, new byte[] {1, 2})).hasSameHashCodeAs(new PasswordAlgorithm(7, new byte[] {1, 2}));
        assertThat(PasswordAlgorithm.SHA256).hasToString("PasswordAlgorithm[SHA-256]");
        assertThat(new PasswordAlgorithms(List.of()).algorithms()).isEmpty();
        assertThatThrownBy(() -> new PasswordAlgorithm(0x10000, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    static String encode(StunAttribute a, byte paddingByte) {
        ByteBuf out = Unpooled.buffer();
        try {
            AttributeCodec.encode(a, out, TID, paddingByte);
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        } finally {
            out.release();
        }
    }

    /** Decodes one attribute (header, value, padding) like the message decoder does. */
    static StunAttribute decode(String hex) {
        ByteBuf in = Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
        try {
            int code = in.readUnsignedShort();
            int length = in.readUnsignedShort();
            StunAttribute a = AttributeCodec.decode(code, in, length, TID);
            in.skipBytes(AttributeCodec.padding(length));
            assertThat(in.isReadable()).isFalse();
            return a;
        } finally {
            in.release();
        }
    }
}
