package dev.turnlab.server.handler;

import dev.turnlab.codec.MessageType;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.StunMessageView;
import dev.turnlab.codec.attribute.AttributeCodec;
import dev.turnlab.codec.attribute.AttributeType;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.XorMappedAddress;
import dev.turnlab.codec.auth.FingerprintCrc;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * The Binding requests a server answers most, answered from a {@link StunMessageView} without a
 * {@code StunMessage} (RFC 8489 §6.3.1): an RFC 8489 request with no attribute but SOFTWARE and FINGERPRINT,
 * which needs no authentication and has nothing the server could fail to understand. Its success response is
 * byte for byte the one {@link Reply} sends: XOR-MAPPED-ADDRESS, SOFTWARE when configured, FINGERPRINT when the
 * request had one. Every other Binding request, and any message that is not one, takes the
 * {@link RequestProcessor}'s path. Immutable.
 */
final class PlainBinding {

    private static final int REQUEST_TYPE = MessageType.encode(Method.BINDING, StunClass.REQUEST);
    private static final int RESPONSE_TYPE = MessageType.encode(Method.BINDING, StunClass.SUCCESS_RESPONSE);
    private static final int SOFTWARE = AttributeType.SOFTWARE.code();
    private static final int FINGERPRINT = AttributeType.FINGERPRINT.code();
    private static final int FINGERPRINT_LENGTH = 8;

    /** SOFTWARE as the encoder writes it, or nothing when the server sends none. */
    private final byte[] software;

    /** Answers with SOFTWARE {@code software} (RFC 8489 §14.14), or without when it is empty. */
    PlainBinding(String software) {
        this.software = software.isEmpty() ? new byte[0] : attribute(software);
    }

    /** Whether {@code datagram} starts like a Binding request, read from its first two bytes alone. */
    static boolean mayBeBindingRequest(ByteBuf datagram) {
        return datagram.readableBytes() >= StunMessageCodec.HEADER_LENGTH
                && datagram.getUnsignedShort(datagram.readerIndex()) == REQUEST_TYPE;
    }

    /** Whether the message in {@code request} is a Binding request this class answers. */
    static boolean isPlain(StunMessageView request) {
        if (request.messageType() != REQUEST_TYPE || request.isClassic()) {
            return false;
        }
        for (int at = request.firstAttribute(); at >= 0; at = request.nextAttribute(at)) {
            int type = request.attributeType(at);
            if (type != SOFTWARE && type != FINGERPRINT) {
                return false;
            }
        }
        return true;
    }

    /** The success response to the plain Binding {@code request} from {@code client}, in a buffer the caller owns. */
    ByteBuf successResponse(StunMessageView request, InetSocketAddress client, ByteBufAllocator alloc) {
        boolean fingerprint = request.fingerprint() >= 0;
        int addressLength = client.getAddress() instanceof Inet4Address ? 12 : 24;
        int length = StunMessageCodec.HEADER_LENGTH + addressLength + software.length + (fingerprint ? FINGERPRINT_LENGTH : 0);
        ByteBuf out = alloc.buffer(length);
        try {
            out.writeShort(RESPONSE_TYPE);
            out.writeShort(length - StunMessageCodec.HEADER_LENGTH);
            out.writeInt(StunMessageCodec.MAGIC_COOKIE);
            out.writeBytes(request.buffer(), request.transactionIdIndex(), request.transactionIdLength());
            AttributeCodec.encode(new XorMappedAddress(client), out, request.transactionId());
            out.writeBytes(software);
            if (fingerprint) {
                // RFC 8489 §14.7: the CRC covers the header, whose length already counts FINGERPRINT.
                int crc = FingerprintCrc.compute(out, out.readerIndex(), out.readableBytes());
                out.writeShort(FINGERPRINT).writeShort(4).writeInt(crc);
            }
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private static byte[] attribute(String software) {
        ByteBuf buf = Unpooled.buffer();
        try {
            AttributeCodec.encode(new Software(software), buf, null);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }
}
