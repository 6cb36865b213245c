package dev.turnlab.codec;

import dev.turnlab.codec.attribute.AttributeCodec;
import dev.turnlab.codec.attribute.AttributeType;
import dev.turnlab.codec.attribute.Fingerprint;
import dev.turnlab.codec.attribute.MessageIntegrity;
import dev.turnlab.codec.attribute.MessageIntegritySha256;
import dev.turnlab.codec.attribute.StunAttribute;
import dev.turnlab.codec.auth.FingerprintCrc;
import dev.turnlab.codec.auth.IntegrityAlgorithm;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure functions from bytes to {@link StunMessage} and back (RFC 8489 §5, §14; RFC 3489 §11.1).
 * They neither retain nor release the buffers they are given.
 */
public final class StunMessageCodec {

    /** The magic cookie, 0x2112A442 (RFC 8489 §5). */
    public static final int MAGIC_COOKIE = 0x2112A442;
    /** Length of the STUN header in bytes. */
    public static final int HEADER_LENGTH = 20;
    /** The largest message: the 16-bit length field plus the header. */
    public static final int MAX_MESSAGE_LENGTH = HEADER_LENGTH + 0xFFFF;
    /** The most attributes a decoded message may hold; more is treated as hostile. */
    public static final int MAX_ATTRIBUTES = 128;

    private StunMessageCodec() {
    }

    /**
     * Whether the readable bytes start like a STUN message: a first byte of 0-3 (RFC 7983 §7; the
     * two top bits zero of RFC 8489 §5 alone would take in ZRTP 16-19 and DTLS 20-63) and, with
     * {@code requireCookie}, the magic cookie in place. Consumes nothing.
     */
    public static boolean isStun(ByteBuf buf, boolean requireCookie) {
        if (buf.readableBytes() < HEADER_LENGTH || PacketKind.of(buf) != PacketKind.STUN) {
            return false;
        }
        return !requireCookie || buf.getInt(buf.readerIndex() + 4) == MAGIC_COOKIE;
    }

    /**
     * Decodes exactly the readable bytes of {@code in} as one message, advancing its reader index
     * to the end. Throws {@link StunCodecException} with a reason for anything malformed.
     */
    public static StunMessage decode(ByteBuf in) {
        int start = in.readerIndex();
        int total = in.readableBytes();
        if (total < HEADER_LENGTH) {
            throw new StunCodecException("truncated header: " + total + " bytes (expected: at least 20)");
        }
        int type = in.getUnsignedShort(start);
        if ((type & 0xC000) != 0) {
            throw new StunCodecException(String.format("not a STUN message: first byte 0x%02X", type >>> 8));
        }
        int length = in.getUnsignedShort(start + 2);
        boolean classic = in.getInt(start + 4) != MAGIC_COOKIE;
        Method method = Method.valueOf(MessageType.methodCode(type));
        StunClass stunClass = MessageType.stunClass(type);
        in.skipBytes(classic ? 4 : 8);
        TransactionId tid = TransactionId.read(in, classic ? TransactionId.CLASSIC_LENGTH : TransactionId.LENGTH);
        // RFC 8489 §7.3: a length that is not sensible means the message is silently discarded.
        if ((length & 3) != 0) {
            throw discard(in, start, "bad length: " + length + " (expected: a multiple of 4)", method, stunClass, tid);
        }
        if (HEADER_LENGTH + length != total) {
            throw discard(in, start, "bad length: header says " + length + " bytes of attributes, "
                    + (total - HEADER_LENGTH) + " present", method, stunClass, tid);
        }
        // A header-only request (the common Binding probe) shares the empty list instead of making one.
        List<StunAttribute> attributes = length == 0 ? List.of() : new ArrayList<>(Math.min(8, length / 4));
        int integrityOffset = -1;
        int integritySha256Offset = -1;
        boolean fingerprinted = false;
        int end = start + total;
        while (in.readerIndex() < end) {
            int offset = in.readerIndex() - start;
            if (end - in.readerIndex() < 4) {
                throw error(in, start, "truncated attribute header at offset " + offset, method, stunClass, tid);
            }
            int code = in.readUnsignedShort();
            int valueLength = in.readUnsignedShort();
            int padded = valueLength + AttributeCodec.padding(valueLength);
            if (padded > end - in.readerIndex()) {
                throw error(in, start, "truncated attribute: " + AttributeType.valueOf(code) + " of " + valueLength
                        + " bytes at offset " + offset + ", " + (end - in.readerIndex()) + " left", method, stunClass, tid);
            }
            if (fingerprinted) {
                throw error(in, start, "attribute after FINGERPRINT: " + AttributeType.valueOf(code), method, stunClass, tid);
            }
            boolean afterIntegrity = integrityOffset >= 0 || integritySha256Offset >= 0;
            boolean ignored = afterIntegrity && code != 0x8028 && !(code == 0x001C && integritySha256Offset < 0);
            if (ignored) {
                // RFC 8489 §14.5, §14.6: what follows the integrity attributes, FINGERPRINT aside, is ignored.
                in.skipBytes(padded);
                continue;
            }
            if (attributes.size() == MAX_ATTRIBUTES) {
                throw error(in, start, "too many attributes (limit: " + MAX_ATTRIBUTES + ")", method, stunClass, tid);
            }
            StunAttribute attribute;
            try {
                attribute = AttributeCodec.decode(code, in, valueLength, tid);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw error(in, start, "malformed attribute at offset " + offset + ": " + e.getMessage(), method, stunClass,
                        tid);
            }
            in.skipBytes(padded - valueLength);
            if (attribute instanceof MessageIntegrity) {
                integrityOffset = offset;
            } else if (attribute instanceof MessageIntegritySha256) {
                integritySha256Offset = offset;
            } else if (attribute instanceof Fingerprint f) {
                int crc = FingerprintCrc.compute(in, start, offset);
                if (crc != f.crc()) {
                    // RFC 8489 §7.3: silently discarded, not answered; it may be another protocol.
                    throw discard(in, start, String.format("FINGERPRINT mismatch: 0x%08X (computed: 0x%08X)", f.crc(), crc),
                            method, stunClass, tid);
                }
                fingerprinted = true;
            }
            attributes.add(attribute);
        }
        byte[] wire = null;
        if (integrityOffset >= 0 || integritySha256Offset >= 0) {
            wire = new byte[total];
            in.getBytes(start, wire);
        }
        return new StunMessage(method, stunClass, tid, attributes, wire, integrityOffset, integritySha256Offset);
    }

    private static StunCodecException error(ByteBuf in, int start, String reason, Method method, StunClass stunClass,
            TransactionId tid) {
        in.readerIndex(start);
        return new StunCodecException(reason, method, stunClass, tid);
    }

    private static StunCodecException discard(ByteBuf in, int start, String reason, Method method, StunClass stunClass,
            TransactionId tid) {
        in.readerIndex(start);
        return new StunCodecException(reason, method, stunClass, tid, false);
    }

    /** Encodes {@code message} into a new buffer from {@code alloc}. */
    public static ByteBuf encode(StunMessage message, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(256);
        try {
            encode(message, out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * Appends {@code message} to {@code out}: the header, the attributes, then the requested
     * MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT in that order, each computed over
     * the bytes before it with the length field covering it (RFC 8489 §14.5-§14.7). A message too
     * large for the 16-bit length field throws {@link IllegalArgumentException} and appends nothing.
     */
    public static void encode(StunMessage message, ByteBuf out) {
        encode(message, out, (byte) 0);
    }

    /**
     * Appends {@code message} to {@code out} like {@link #encode(StunMessage, ByteBuf)}, padding
     * attribute values with {@code paddingByte}: RFC 8489 §14 allows any padding value, and the
     * RFC 5769 test vectors use 0x20. The integrity and fingerprint cover the padding as written.
     */
    public static void encode(StunMessage message, ByteBuf out, byte paddingByte) {
        int start = out.writerIndex();
        try {
            encodeAt(message, out, start, paddingByte);
        } catch (RuntimeException e) {
            // Half a message appended to a stream's buffer would corrupt every message after it.
            out.writerIndex(start);
            throw e;
        }
    }

    private static void encodeAt(StunMessage message, ByteBuf out, int start, byte paddingByte) {
        TransactionId tid = message.transactionId();
        out.writeShort(MessageType.encode(message.method(), message.stunClass()));
        out.writeShort(0);
        if (!tid.isClassic()) {
            out.writeInt(MAGIC_COOKIE);
        }
        tid.writeTo(out);
        for (StunAttribute a : message.attributes()) {
            AttributeCodec.encode(a, out, tid, paddingByte);
        }
        if (message.integrityKey() != null) {
            writeIntegrity(out, start, AttributeType.MESSAGE_INTEGRITY, IntegrityAlgorithm.HMAC_SHA1, message.integrityKey());
        }
        if (message.integritySha256Key() != null) {
            writeIntegrity(out, start, AttributeType.MESSAGE_INTEGRITY_SHA256, IntegrityAlgorithm.HMAC_SHA256,
                    message.integritySha256Key());
        }
        if (message.fingerprintRequested()) {
            setLength(out, start, out.writerIndex() - start + 8);
            int crc = FingerprintCrc.compute(out, start, out.writerIndex() - start);
            out.writeShort(AttributeType.FINGERPRINT.code());
            out.writeShort(4);
            out.writeInt(crc);
        }
        setLength(out, start, out.writerIndex() - start);
    }

    private static void writeIntegrity(ByteBuf out, int start, AttributeType type, IntegrityAlgorithm algorithm,
            byte[] key) {
        setLength(out, start, out.writerIndex() - start + 4 + algorithm.length());
        out.writeShort(type.code());
        out.writeShort(algorithm.length());
        algorithm.write(key, out, start, out.writerIndex() - 4 - start, out);
    }

    private static void setLength(ByteBuf out, int start, int totalLength) {
        int length = totalLength - HEADER_LENGTH;
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("message of " + totalLength + " bytes (limit: " + MAX_MESSAGE_LENGTH + ")");
        }
        out.setShort(start + 2, length);
    }
}
