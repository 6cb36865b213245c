package dev.turnlab.codec;

import static dev.turnlab.codec.Rfc5769VectorsTest.PASSWORD_2_4;
import static dev.turnlab.codec.Rfc5769VectorsTest.REQUEST;
import static dev.turnlab.codec.Rfc5769VectorsTest.REQUEST_LONG_TERM;
import static dev.turnlab.codec.Rfc5769VectorsTest.RESPONSE_IPV4;
import static dev.turnlab.codec.Rfc5769VectorsTest.RESPONSE_IPV6;
import static dev.turnlab.codec.Rfc5769VectorsTest.SHORT_TERM_PASSWORD;
import static dev.turnlab.codec.Rfc5769VectorsTest.TID_2_1;
import static dev.turnlab.codec.Rfc5769VectorsTest.USERNAME_2_4;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.codec.auth.LongTermCredentials;
import dev.turnlab.codec.auth.ShortTermCredentials;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The view over the four messages of RFC 5769 §2: their headers and attributes read in place, FINGERPRINT
 * checked on wrap, MESSAGE-INTEGRITY verified with the right key only, in every kind of buffer and at any
 * reader index, the buffer neither consumed, retained nor released.
 */
class StunMessageViewTest {

    private static final byte[] SHORT_TERM_KEY = ShortTermCredentials.key(SHORT_TERM_PASSWORD);
    private static final byte[] LONG_TERM_KEY = LongTermCredentials.key(USERNAME_2_4, "example.org", PASSWORD_2_4);

    private final StunMessageView view = new StunMessageView();

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void sampleRequestIsReadInPlace(BufferKind kind) {
        ByteBuf buf = kind.copyOf(HexFormat.of().parseHex(REQUEST));
        try {
            assertThat(view.wrap(buf)).isTrue();
            assertThat(view.method()).isEqualTo(Method.BINDING);
            assertThat(view.stunClass()).isEqualTo(StunClass.REQUEST);
            assertThat(view.isClassic()).isFalse();
            assertThat(view.transactionId()).isEqualTo(TID_2_1);
            assertThat(view.transactionIdIndex()).isEqualTo(8);
            assertThat(view.length()).isEqualTo(108);
            // SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME (9 bytes, padded to 12), MESSAGE-INTEGRITY, FINGERPRINT.
            assertThat(attributes()).containsExactly("8022:16@20", "0024:4@40", "8029:8@48", "0006:9@60", "0008:20@76",
                    "8028:4@100");
            assertThat(view.attributeCount()).isEqualTo(6);
            assertThat(view.messageIntegrity()).isEqualTo(76);
            assertThat(view.messageIntegritySha256()).isEqualTo(-1);
            assertThat(view.fingerprint()).isEqualTo(100);
            assertThat(view.verifyIntegrity(SHORT_TERM_KEY)).isTrue();
            assertThat(view.verifyIntegrity(ShortTermCredentials.key("VOkJxbRl1RmTxUk/WvJxBT"))).isFalse();
            assertThat(buf.readerIndex()).isZero();
            assertThat(buf.refCnt()).isEqualTo(1);
        } finally {
            buf.release();
        }
    }

    @Test
    void sampleResponsesVerifyWithTheShortTermKey() {
        for (String response : List.of(RESPONSE_IPV4, RESPONSE_IPV6)) {
            ByteBuf buf = Unpooled.wrappedBuffer(HexFormat.of().parseHex(response));
            assertThat(view.wrap(buf)).isTrue();
            assertThat(view.method()).isEqualTo(Method.BINDING);
            assertThat(view.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(view.transactionId()).isEqualTo(TID_2_1);
            assertThat(view.attributeCount()).isEqualTo(4);
            assertThat(view.fingerprint()).isEqualTo(buf.readableBytes() - 8);
            assertThat(view.verifyIntegrity(SHORT_TERM_KEY)).isTrue();
            assertThat(view.verifyIntegrity(LONG_TERM_KEY)).isFalse();
        }
    }

    @Test
    void longTermRequestVerifiesWithTheKeyOfItsRealmOnly() {
        ByteBuf buf = Unpooled.wrappedBuffer(HexFormat.of().parseHex(REQUEST_LONG_TERM));
        assertThat(view.wrap(buf)).isTrue();
        assertThat(view.transactionId()).isEqualTo(TransactionId.ofHex("78ad3433c6ad72c029da412e"));
        // USERNAME (18 bytes), NONCE (28), REALM (11), MESSAGE-INTEGRITY; no FINGERPRINT.
        assertThat(attributes()).containsExactly("0006:18@20", "0015:28@44", "0014:11@76", "0008:20@92");
        assertThat(view.fingerprint()).isEqualTo(-1);
        assertThat(view.verifyIntegrity(LONG_TERM_KEY)).isTrue();
        assertThat(view.verifyIntegrity(LongTermCredentials.key(USERNAME_2_4, "example.com", PASSWORD_2_4))).isFalse();
    }

    @Test
    void aMessageIsReadFromTheReaderIndexOfAPooledDirectBuffer() {
        byte[] bytes = HexFormat.of().parseHex(REQUEST_LONG_TERM);
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer().writeZero(7).writeBytes(bytes);
        try {
            buf.readerIndex(7);
            assertThat(view.wrap(buf)).isTrue();
            assertThat(view.start()).isEqualTo(7);
            assertThat(view.transactionIdIndex()).isEqualTo(15);
            assertThat(view.firstAttribute()).isEqualTo(27);
            assertThat(view.verifyIntegrity(LONG_TERM_KEY)).isTrue();
            assertThat(buf.readerIndex()).isEqualTo(7);
        } finally {
            buf.release();
        }
    }

    @Test
    void aWrongFingerprintIsRefusedAsTheDecoderRefusesIt() {
        byte[] bytes = HexFormat.of().parseHex(REQUEST);
        bytes[bytes.length - 1] ^= 1;
        assertThat(view.wrap(Unpooled.wrappedBuffer(bytes))).isFalse();
        assertThat(view.isValid()).isFalse();
        assertThatThrownBy(() -> StunMessageCodec.decode(Unpooled.wrappedBuffer(bytes))).isInstanceOf(StunCodecException.class);
    }

    @Test
    void aChangedByteUnderTheIntegrityFailsItsCheck() {
        byte[] bytes = HexFormat.of().parseHex(REQUEST_LONG_TERM);
        bytes[50] ^= 1; // inside NONCE
        assertThat(view.wrap(Unpooled.wrappedBuffer(bytes))).isTrue();
        assertThat(view.verifyIntegrity(LONG_TERM_KEY)).isFalse();
    }

    @Test
    void aHeaderOnlyBindingRequestHasNoAttributes() {
        ByteBuf buf = Unpooled.wrappedBuffer(HexFormat.of().parseHex("000100002112a442" + "b7e7a701bc34d686fa87dfae"));
        assertThat(view.wrap(buf)).isTrue();
        assertThat(view.attributeCount()).isZero();
        assertThat(view.firstAttribute()).isEqualTo(-1);
        assertThat(view.hasIntegrity()).isFalse();
        assertThat(view.verifyIntegrity(SHORT_TERM_KEY)).isFalse();
    }

    @Test
    void anRfc3489MessageHasASixteenByteTransactionId() {
        ByteBuf buf = Unpooled.wrappedBuffer(HexFormat.of().parseHex("00010000" + "0102030405060708090a0b0c0d0e0f10"));
        assertThat(view.wrap(buf)).isTrue();
        assertThat(view.isClassic()).isTrue();
        assertThat(view.transactionIdIndex()).isEqualTo(4);
        assertThat(view.transactionIdLength()).isEqualTo(16);
        assertThat(view.transactionId()).isEqualTo(TransactionId.ofHex("0102030405060708090a0b0c0d0e0f10"));
    }

    @Test
    void headersThatAreNotOneMessageAreRefused() {
        String tid = "2112a442b7e7a701bc34d686fa87dfae";
        assertThat(wrap("0001000" + "0" + tid.substring(0, 30))).as("19 bytes").isFalse();
        assertThat(wrap("4001" + "0000" + tid)).as("first two bits").isFalse();
        assertThat(wrap("0001" + "0002" + tid + "0000")).as("length not a multiple of 4").isFalse();
        assertThat(wrap("0001" + "0004" + tid)).as("length beyond the bytes").isFalse();
        assertThat(wrap("0001" + "0000" + tid + "00000000")).as("bytes beyond the length").isFalse();
        assertThat(wrap("0001" + "0008" + tid + "80220008" + "00000000")).as("attribute beyond the length").isFalse();
        assertThat(wrap("0001" + "0018" + tid + "00080010" + "00".repeat(16) + "00000000")).as("16-byte MESSAGE-INTEGRITY")
                .isFalse();
    }

    @Test
    void anEmptyViewRefusesQuestions() {
        assertThat(view.isValid()).isFalse();
        assertThatThrownBy(view::method).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> view.verifyIntegrity(SHORT_TERM_KEY)).isInstanceOf(IllegalStateException.class);
    }

    private boolean wrap(String hex) {
        return view.wrap(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex)));
    }

    /** Each attribute as "type:length@index", in wire order. */
    private List<String> attributes() {
        List<String> out = new ArrayList<>();
        for (int at = view.firstAttribute(); at >= 0; at = view.nextAttribute(at)) {
            out.add(String.format("%04x:%d@%d", view.attributeType(at), view.attributeLength(at), at - view.start()));
        }
        return out;
    }
}
