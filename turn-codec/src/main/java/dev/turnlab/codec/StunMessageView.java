package dev.turnlab.codec;

import dev.turnlab.codec.auth.FingerprintCrc;
import dev.turnlab.codec.auth.IntegrityAlgorithm;
import io.netty.buffer.ByteBuf;

/**
 * A STUN message read where it lies in a buffer (RFC 8489 §5, §14), for the requests a server answers most,
 * without a {@link StunMessage}: {@link #wrap} checks the message header and walks the attributes, and the
 * view then gives the method, class and transaction ID, each attribute's type, position and length, and checks
 * FINGERPRINT and MESSAGE-INTEGRITY(-SHA256) in place. Nothing is copied and nothing allocated, so one view
 * serves message after message.
 *
 * <p>{@link #wrap} accepts exactly the bytes {@link StunMessageCodec#decode} accepts, apart from attribute
 * values, which it leaves undecoded: those of the integrity attributes and FINGERPRINT it checks, the rest it
 * does not read. A view is mutable and confined to one thread (a handler on its event loop keeps one); it
 * neither retains nor releases the buffer, and is valid only while the buffer's bytes are.
 */
public final class StunMessageView {

    private static final int MESSAGE_INTEGRITY = 0x0008;
    private static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    private static final int FINGERPRINT = 0x8028;

    private ByteBuf buf;
    private int start;
    private int end;
    private int type;
    private boolean classic;
    private int attributeCount;
    private int integrity;
    private int integritySha256;
    private int fingerprint;

    /** An empty view; {@link #wrap} gives it a message. */
    public StunMessageView() {
    }

    /**
     * Reads the readable bytes of {@code in} as exactly one message; indexes and reference count are unchanged.
     * Returns whether they are one: the first two bits zero, a length that is a multiple of 4 and covers the
     * rest of the bytes (RFC 8489 §5), attributes that fit it, none after FINGERPRINT, at most
     * {@link StunMessageCodec#MAX_ATTRIBUTES} that count (those after the integrity attributes are ignored,
     * §14.5), MESSAGE-INTEGRITY of 20 bytes, MESSAGE-INTEGRITY-SHA256 of 16 to 32 in steps of 4 (§14.6) and a
     * FINGERPRINT that matches (§14.7). Without the magic cookie it is an RFC 3489 message ({@link #isClassic}).
     * When false, the view holds no message.
     */
    public boolean wrap(ByteBuf in) {
        buf = null;
        int at = in.readerIndex();
        int total = in.readableBytes();
        if (total < StunMessageCodec.HEADER_LENGTH) {
            return false;
        }
        int header = in.getInt(at);
        int length = header & 0xFFFF;
        if ((header & 0xC0000000) != 0 || (length & 3) != 0 || StunMessageCodec.HEADER_LENGTH + length != total) {
            return false;
        }
        start = at;
        end = at + total;
        type = header >>> 16;
        classic = in.getInt(at + 4) != StunMessageCodec.MAGIC_COOKIE;
        return walk(in);
    }

    private boolean walk(ByteBuf in) {
        int counted = 0;
        int mi = -1;
        int miSha256 = -1;
        int fp = -1;
        for (int at = start + StunMessageCodec.HEADER_LENGTH; at < end; ) {
            if (end - at < 4 || fp >= 0) {
                return false;
            }
            int code = in.getUnsignedShort(at);
            int valueLength = in.getUnsignedShort(at + 2);
            int next = at + 4 + padded(valueLength);
            if (next > end) {
                return false;
            }
            // RFC 8489 §14.5, §14.6: what follows the integrity attributes, FINGERPRINT aside, is ignored.
            boolean ignored = (mi >= 0 || miSha256 >= 0) && code != FINGERPRINT
                    && !(code == MESSAGE_INTEGRITY_SHA256 && miSha256 < 0);
            if (!ignored) {
                if (counted == StunMessageCodec.MAX_ATTRIBUTES) {
                    return false;
                }
                counted++;
                if (code == MESSAGE_INTEGRITY) {
                    if (valueLength != IntegrityAlgorithm.HMAC_SHA1.length()) {
                        return false;
                    }
                    mi = at;
                } else if (code == MESSAGE_INTEGRITY_SHA256) {
                    if (valueLength < 16 || valueLength > 32 || (valueLength & 3) != 0) {
                        return false;
                    }
                    miSha256 = at;
                } else if (code == FINGERPRINT) {
                    if (valueLength != 4 || in.getInt(at + 4) != FingerprintCrc.compute(in, start, at - start)) {
                        return false;
                    }
                    fp = at;
                }
            }
            at = next;
        }
        buf = in;
        attributeCount = counted;
        integrity = mi;
        integritySha256 = miSha256;
        fingerprint = fp;
        return true;
    }

    private static int padded(int valueLength) {
        return (valueLength + 3) & ~3;
    }

    /** Whether the view holds a message: the last {@link #wrap} returned true. */
    public boolean isValid() {
        return buf != null;
    }

    /** The buffer holding the message. */
    public ByteBuf buffer() {
        return message();
    }

    /** The index of the message's first byte in {@link #buffer()}. */
    public int start() {
        message();
        return start;
    }

    /** The message's length in bytes, header included. */
    public int length() {
        message();
        return end - start;
    }

    /** The 14-bit message type (RFC 8489 §5). */
    public int messageType() {
        message();
        return type;
    }

    /** The method (RFC 8489 §5). */
    public Method method() {
        return Method.valueOf(MessageType.methodCode(messageType()));
    }

    /** The class (RFC 8489 §5). */
    public StunClass stunClass() {
        return MessageType.stunClass(messageType());
    }

    /** Whether the message lacks the magic cookie: an RFC 3489 message with a 128-bit transaction ID. */
    public boolean isClassic() {
        message();
        return classic;
    }

    /** The index of the transaction ID in {@link #buffer()}: after the magic cookie, or after the length (RFC 3489). */
    public int transactionIdIndex() {
        return start() + (classic ? 4 : 8);
    }

    /** The length of the transaction ID: {@value TransactionId#LENGTH}, or {@value TransactionId#CLASSIC_LENGTH} (RFC 3489). */
    public int transactionIdLength() {
        return isClassic() ? TransactionId.CLASSIC_LENGTH : TransactionId.LENGTH;
    }

    /** A copy of the transaction ID. */
    public TransactionId transactionId() {
        byte[] id = new byte[transactionIdLength()];
        buf.getBytes(transactionIdIndex(), id);
        return TransactionId.of(id);
    }

    /** The number of attributes that count, as {@link StunMessage#attributes()} would list them. */
    public int attributeCount() {
        message();
        return attributeCount;
    }

    /** The index of the first attribute in {@link #buffer()}, or -1 when there is none. */
    public int firstAttribute() {
        int first = start() + StunMessageCodec.HEADER_LENGTH;
        return first < end ? first : -1;
    }

    /** The index of the attribute after the one at {@code attribute}, or -1 when that was the last. */
    public int nextAttribute(int attribute) {
        int next = attribute + 4 + padded(attributeLength(attribute));
        return next < end ? next : -1;
    }

    /** The type code of the attribute at {@code attribute} (RFC 8489 §14). */
    public int attributeType(int attribute) {
        return message().getUnsignedShort(attribute);
    }

    /** The length of the value of the attribute at {@code attribute}, padding excluded (RFC 8489 §14). */
    public int attributeLength(int attribute) {
        return message().getUnsignedShort(attribute + 2);
    }

    /** The index of the value of the attribute at {@code attribute}. */
    public static int valueIndex(int attribute) {
        return attribute + 4;
    }

    /** The index of FINGERPRINT, checked by {@link #wrap}, or -1 when the message has none. */
    public int fingerprint() {
        message();
        return fingerprint;
    }

    /** The index of MESSAGE-INTEGRITY, or -1 when the message has none (RFC 8489 §14.5). */
    public int messageIntegrity() {
        message();
        return integrity;
    }

    /** The index of MESSAGE-INTEGRITY-SHA256, or -1 when the message has none (RFC 8489 §14.6). */
    public int messageIntegritySha256() {
        message();
        return integritySha256;
    }

    /** Whether the message carries MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256. */
    public boolean hasIntegrity() {
        message();
        return integrity >= 0 || integritySha256 >= 0;
    }

    /**
     * Checks the message's integrity with {@code key} in place, as {@link StunMessage#verifyIntegrity} does
     * (RFC 8489 §9.1.3, §9.2.4): MESSAGE-INTEGRITY-SHA256 when present, otherwise MESSAGE-INTEGRITY; false
     * with neither.
     */
    public boolean verifyIntegrity(byte[] key) {
        ByteBuf message = message();
        if (integritySha256 >= 0) {
            return IntegrityAlgorithm.HMAC_SHA256.verify(key, message, start, integritySha256);
        }
        return integrity >= 0 && IntegrityAlgorithm.HMAC_SHA1.verify(key, message, start, integrity);
    }

    private ByteBuf message() {
        ByteBuf message = buf;
        if (message == null) {
            throw new IllegalStateException("no message: wrap was not called or returned false");
        }
        return message;
    }

    @Override
    public String toString() {
        return buf == null ? "StunMessageView[empty]"
                : "StunMessageView[" + method() + " " + stunClass() + ", " + attributeCount + " attributes]";
    }
}
