package dev.turnlab.codec;

import static dev.turnlab.codec.Wire.TID;
import static dev.turnlab.codec.Wire.bindingRequest;
import static dev.turnlab.codec.Wire.bytes;
import static dev.turnlab.codec.Wire.decode;
import static dev.turnlab.codec.Wire.decodeError;
import static dev.turnlab.codec.Wire.encode;
import static dev.turnlab.codec.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.codec.attribute.AttributeType;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.Fingerprint;
import dev.turnlab.codec.attribute.MessageIntegrity;
import dev.turnlab.codec.attribute.MessageIntegritySha256;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.auth.FingerprintCrc;
import dev.turnlab.codec.auth.IntegrityAlgorithm;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the message decoder refuses malformed messages (RFC 8489 §5, §6.3, §14), one reason each. */
class StunMessageCodecTest {

    static final byte[] KEY = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);
    static final String SOFTWARE_TEST = "8022 0004 74657374";

    @Test
    void fewerThanTwentyBytesIsATruncatedHeaderWithNoTransactionToAnswer() {
        StunCodecException e = decodeError("0001 0000 2112a442 b7e7a701bc34d686fa87df");
        assertThat(e).hasMessage("truncated header: 19 bytes (expected: at least 20)");
        assertThat(e.hasHeader()).isFalse();
        assertThat(e.method()).isNull();
    }

    @Test
    void theTwoTopBitsMustBeZero() {
        StunCodecException e = decodeError("8001 0000 2112a442 " + TID);
        assertThat(e).hasMessage("not a STUN message: first byte 0x80");
        assertThat(e.hasHeader()).isFalse();
    }

    @Test
    void aLengthThatIsNotAMultipleOfFourIsRefusedButNamesTheTransaction() {
        StunCodecException e = decodeError("0001 0006 2112a442 " + TID + "8022 0002 7465");
        assertThat(e).hasMessage("bad length: 6 (expected: a multiple of 4)");
        assertThat(e.hasHeader()).isTrue();
        assertThat(e.method()).isEqualTo(Method.BINDING);
        assertThat(e.stunClass()).isEqualTo(StunClass.REQUEST);
        assertThat(e.transactionId()).isEqualTo(TransactionId.ofHex(TID));
    }

    @Test
    void theLengthMustMatchTheBytesPresent() {
        assertThat(decodeError("0001 000c 2112a442 " + TID + SOFTWARE_TEST))
                .hasMessage("bad length: header says 12 bytes of attributes, 8 present");
        assertThat(decodeError("0001 0000 2112a442 " + TID + SOFTWARE_TEST))
                .hasMessage("bad length: header says 0 bytes of attributes, 8 present");
    }

    @Test
    void aLengthThatIsNotSensibleOrAWrongFingerprintIsDiscardedSilentlyNotAnswered() {
        // RFC 8489 §7.3: a message whose length is not sensible or whose FINGERPRINT is wrong "is
        // silently discarded" (with multiplexing it may be another protocol); 400 is for requests
        // that are STUN but malformed (§6.3.1.1).
        assertThat(decodeError("0001 0006 2112a442 " + TID + "8022 0002 7465").isAnswerable()).isFalse();
        assertThat(decodeError("0001 000c 2112a442 " + TID + SOFTWARE_TEST).isAnswerable()).isFalse();
        String good = encode(StunMessage.request(Method.BINDING).transactionId(TransactionId.ofHex(TID))
                .add(new Software("test")).fingerprint().build());
        String badFingerprint = good.substring(0, good.length() - 1) + (good.endsWith("0") ? "1" : "0");
        StunCodecException e = decodeError(badFingerprint);
        assertThat(e).hasMessageStartingWith("FINGERPRINT mismatch");
        assertThat(e.isAnswerable()).isFalse();
        assertThat(e.transactionId()).as("still named, for the log").isEqualTo(TransactionId.ofHex(TID));
        assertThat(decodeError(bindingRequest("8022 000c 74657374")).isAnswerable()).isTrue();
        assertThat(decodeError("0001 0000 2112a442 b7e7a701bc34d686fa87df").isAnswerable()).isFalse();
    }

    @Test
    void anAttributeLongerThanTheMessageIsTruncated() {
        assertThat(decodeError(bindingRequest("8022 000c 74657374")))
                .hasMessage("truncated attribute: SOFTWARE of 12 bytes at offset 20, 4 left");
        assertThat(decodeError(bindingRequest(SOFTWARE_TEST + "0001 0008 00018055")))
                .hasMessage("truncated attribute: MAPPED-ADDRESS of 8 bytes at offset 28, 4 left");
    }

    @Test
    void nothingMayFollowFingerprint() {
        // A FINGERPRINT whose CRC is right for the header as sent, so only its position is wrong.
        byte[] message = bytes(bindingRequest("8028 0004 00000000" + SOFTWARE_TEST));
        ByteBuf buf = Unpooled.wrappedBuffer(message);
        buf.setInt(24, FingerprintCrc.compute(buf, 0, 20));
        buf.release();
        assertThat(decodeError(hex(message))).hasMessage("attribute after FINGERPRINT: SOFTWARE");
    }

    @Test
    void aFingerprintThatDoesNotMatchIsRefused() {
        StunMessage m = StunMessage.request(Method.BINDING).transactionId(TransactionId.ofHex(TID))
                .add(new Software("test")).fingerprint().build();
        String good = encode(m);
        String bad = good.substring(0, good.length() - 1) + (good.endsWith("0") ? "1" : "0");
        assertThat(decode(good).attributes()).hasSize(2).last().isInstanceOf(Fingerprint.class);
        assertThat(decodeError(bad)).hasMessageMatching(
                "FINGERPRINT mismatch: 0x[0-9A-F]{8} \\(computed: 0x" + good.substring(good.length() - 8).toUpperCase() + "\\)");
    }

    @Test
    void moreThan128AttributesIsHostile() {
        String empty = "8022 0000";
        assertThat(decode(bindingRequest(empty.repeat(StunMessageCodec.MAX_ATTRIBUTES))).attributes())
                .hasSize(StunMessageCodec.MAX_ATTRIBUTES);
        assertThat(decodeError(bindingRequest(empty.repeat(StunMessageCodec.MAX_ATTRIBUTES + 1))))
                .hasMessage("too many attributes (limit: 128)");
    }

    @Test
    void attributesAfterMessageIntegrityAreIgnoredUnparsed() {
        // RFC 8489 §14.5: what follows MESSAGE-INTEGRITY, other than -SHA256 and FINGERPRINT, is ignored,
        // even a malformed address (family 0x07) or a second MESSAGE-INTEGRITY.
        String signed = encode(StunMessage.request(Method.BINDING).transactionId(TransactionId.ofHex(TID))
                .add(new Username("alice")).integrity(KEY).build());
        String trailer = SOFTWARE_TEST + "0001 0008 0007 0000 00000000" + "0008 0014" + "00".repeat(20);
        StunMessage m = decode(appendAttributes(signed, trailer));
        assertThat(m.attributes()).hasSize(2).first().isEqualTo(new Username("alice"));
        assertThat(m.attributes().get(1)).isInstanceOf(MessageIntegrity.class);
        assertThat(m.verifyIntegrity(KEY)).isTrue();
    }

    @Test
    void integritySha256AndFingerprintMayFollowMessageIntegrity() {
        StunMessage sent = StunMessage.request(Method.BINDING).transactionId(TransactionId.ofHex(TID))
                .add(new Username("alice")).integrity(KEY).integritySha256(KEY).fingerprint().build();
        StunMessage m = decode(encode(sent));
        assertThat(m.attributes()).extracting(a -> a.getClass().getSimpleName())
                .containsExactly("Username", "MessageIntegrity", "MessageIntegritySha256", "Fingerprint");
        assertThat(m.verifyIntegrity(KEY)).isTrue();
        assertThat(m.verifyIntegrity("wrong".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void aMessageIntegritySha256TruncatedTo16BytesVerifiesOnItsFirst16Bytes() {
        // RFC 8489 §14.6: the HMAC-SHA256 may be truncated to 16 bytes (or more, in steps of 4); the
        // length field then covers the shorter attribute.
        String covered = "0001 0020 2112a442 " + TID + "0006 0005 616c696365 000000";
        byte[] mac = IntegrityAlgorithm.HMAC_SHA256.compute(KEY, ByteBuffer.wrap(bytes(covered)));
        String truncated = hex(Arrays.copyOf(mac, 16));
        StunMessage m = decode(covered + "001c 0010" + truncated);
        assertThat(m.verifyIntegrity(KEY)).isTrue();
        assertThat(m.verifyIntegrity("wrong".getBytes(StandardCharsets.UTF_8))).isFalse();
        byte[] flipped = Arrays.copyOf(mac, 16);
        flipped[15] ^= 1;
        assertThat(decode(covered + "001c 0010" + hex(flipped)).verifyIntegrity(KEY)).isFalse();
    }

    @Test
    void onlyFingerprintMayFollowMessageIntegritySha256() {
        String signed = encode(StunMessage.request(Method.BINDING).transactionId(TransactionId.ofHex(TID))
                .add(new Username("alice")).integritySha256(KEY).build());
        StunMessage m = decode(appendAttributes(signed, "0008 0014" + "00".repeat(20) + SOFTWARE_TEST));
        assertThat(m.attributes()).hasSize(2).last().isInstanceOf(MessageIntegritySha256.class);
        assertThat(m.verifyIntegrity(KEY)).isTrue();
    }

    @Test
    void decodingConsumesExactlyTheReadableBytesAndEncodingAppends() {
        StunMessage m = StunMessage.indication(Method.SEND).add(new Software("x")).build();
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeBytes(bytes("cafe"));
            StunMessageCodec.encode(m, buf);
            buf.skipBytes(2);
            assertThat(StunMessageCodec.decode(buf)).isEqualTo(m);
            assertThat(buf.isReadable()).isFalse();
        } finally {
            buf.release();
        }
    }

    /** The message with more attributes appended and its length field grown to cover them. */
    static String appendAttributes(String messageHex, String attributesHex) {
        byte[] grown = bytes(messageHex + attributesHex.replace(" ", ""));
        int length = grown.length - StunMessageCodec.HEADER_LENGTH;
        grown[2] = (byte) (length >>> 8);
        grown[3] = (byte) length;
        return hex(grown);
    }

    @Test
    void aServerListsTheComprehensionRequiredAttributesItDoesNotImplement() {
        // DONT-FRAGMENT (0x001A) decodes to a record, but a server without DF support refuses it (RFC 8656 §7.2);
        // SOFTWARE (0x8022) is comprehension-optional and never listed.
        StunMessage request = decode(bindingRequest("0019 0004 11000000" + "001a 0000" + "0031 0000" + SOFTWARE_TEST));
        assertThat(request.unknownComprehensionRequired()).containsExactly(0x0031);
        assertThat(request.unknownComprehensionRequired(Set.of(AttributeType.REQUESTED_TRANSPORT)))
                .containsExactly(0x001A, 0x0031);
        assertThat(request.unknownComprehensionRequired(
                Set.of(AttributeType.REQUESTED_TRANSPORT, AttributeType.DONT_FRAGMENT))).containsExactly(0x0031);
    }

    @Test
    void decodingFromAnOffsetChecksFingerprintAndIntegrityOverTheMessageOnly() {
        StunMessage m = StunMessage.request(Method.ALLOCATE).add(new Username("alice"))
                .integrity(KEY).integritySha256(KEY).fingerprint().build();
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeBytes(bytes("deadbeef cafe"));
            StunMessageCodec.encode(m, buf);
            buf.skipBytes(6);
            StunMessage decoded = StunMessageCodec.decode(buf);
            assertThat(decoded.verifyIntegrity(KEY)).isTrue();
            assertThat(decoded.toBuilder().build()).isEqualTo(StunMessage.request(Method.ALLOCATE)
                    .transactionId(m.transactionId()).add(new Username("alice")).build());
        } finally {
            buf.release();
        }
    }

    @Test
    void theLargestMessageEncodesAndOneWordMoreAppendsNothing() {
        // 4 + 65528 bytes of DATA fill the 16-bit length field up to 0xFFFC, its largest multiple of 4.
        StunMessage largest = StunMessage.indication(Method.DATA).add(new Data(new byte[65528])).build();
        assertThat(decode(encode(largest))).isEqualTo(largest);
        StunMessage tooLarge = largest.toBuilder().fingerprint().build();
        ByteBuf out = Unpooled.buffer();
        try {
            out.writeBytes(bytes("cafe"));
            assertThatThrownBy(() -> StunMessageCodec.encode(tooLarge, out))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("message of 65560 bytes (limit: 65555)");
            assertThat(out.writerIndex()).isEqualTo(2);
        } finally {
            out.release();
        }
    }
}
