package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.turnlab.codec.attribute.StunAttribute;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;

/**
 * Test helpers that turn hex into messages and back, owning and releasing every buffer they make.
 * Hex may contain spaces, so a test can lay out a message field by field as the RFC figures do.
 */
public final class Wire {

    /** The transaction id of RFC 5769 §2.2 and §2.3, so XOR'ed addresses can be checked against that RFC. */
    public static final String TID = "b7e7a701bc34d686fa87dfae";

    private Wire() {
    }

    /** The bytes of a hex string, spaces ignored. */
    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** Lower-case hex of the bytes. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * A message of the given 16-bit type and transaction id (24 hex digits, or 32 for an RFC 3489
     * message without magic cookie) whose length field covers {@code attributes}.
     */
    public static String message(int type, String tid, String attributes) {
        String body = attributes.replace(" ", "");
        String cookie = tid.length() == 24 ? "2112a442" : "";
        return String.format("%04x%04x", type, body.length() / 2) + cookie + tid + body;
    }

    /** A Binding request with the RFC 5769 transaction id and the given attributes. */
    public static String bindingRequest(String attributes) {
        return message(0x0001, TID, attributes);
    }

    /** Decodes the hex as one message, checking that the decoder consumed it all. */
    public static StunMessage decode(String hex) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes(hex));
        try {
            StunMessage m = StunMessageCodec.decode(in);
            assertThat(in.isReadable()).as("bytes left after decoding").isFalse();
            return m;
        } finally {
            in.release();
        }
    }

    /** The exception decoding the hex raises, checking that no other kind is thrown and nothing was consumed. */
    public static StunCodecException decodeError(String hex) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes(hex));
        try {
            StunCodecException e = catchThrowableOfType(StunCodecException.class, () -> StunMessageCodec.decode(in));
            assertThat(e).as("decoding %s", hex).isNotNull();
            assertThat(in.readerIndex()).as("reader index after an error").isZero();
            return e;
        } finally {
            in.release();
        }
    }

    /** The encoding of the message, as hex. */
    public static String encode(StunMessage message) {
        ByteBuf out = Unpooled.buffer();
        try {
            StunMessageCodec.encode(message, out);
            byte[] b = new byte[out.readableBytes()];
            out.readBytes(b);
            return hex(b);
        } finally {
            out.release();
        }
    }

    /**
     * Checks one attribute both ways: a Binding request holding exactly {@code attributeHex} (type,
     * length, value, padding) decodes to {@code attribute}, and that request encodes to those bytes.
     */
    public static void assertAttribute(StunAttribute attribute, String attributeHex) {
        String message = bindingRequest(attributeHex);
        assertThat(decode(message).attributes()).containsExactly(attribute);
        StunMessage built = StunMessage.request(Method.BINDING).transactionId(TransactionId.ofHex(TID)).add(attribute).build();
        assertThat(encode(built)).isEqualTo(hex(bytes(message)));
    }

    /** Checks that {@code attributeHex} decodes to {@code attribute}, for inputs the encoder would write otherwise. */
    public static void assertDecodes(String attributeHex, StunAttribute attribute) {
        assertThat(decode(bindingRequest(attributeHex)).attributes()).containsExactly(attribute);
    }

    /**
     * Checks that a Binding request holding {@code attributeHex} is refused with {@code reason}
     * about the attribute at offset 20, and that the exception still names the transaction.
     */
    public static void assertMalformed(String attributeHex, String reason) {
        StunCodecException e = decodeError(bindingRequest(attributeHex));
        assertThat(e).hasMessage("malformed attribute at offset 20: " + reason);
        assertThat(e.hasHeader()).isTrue();
        assertThat(e.isAnswerable()).as("a malformed attribute is answered with 400").isTrue();
        assertThat(e.transactionId()).isEqualTo(TransactionId.ofHex(TID));
    }
}
