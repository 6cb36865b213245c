package dev.turnlab.codec;

import dev.turnlab.codec.attribute.AttributeCodec;
import dev.turnlab.codec.attribute.AttributeType;
import dev.turnlab.codec.attribute.XorPeerAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;

/**
 * The front of every Send or Data indication exchanged with one peer (RFC 8656 §11.1, §11.3): the STUN
 * header, XOR-PEER-ADDRESS and the DATA attribute's header (RFC 8656 §18.4), so that the data path writes
 * each datagram behind it without a {@link StunMessage} or an array per datagram. Immutable.
 *
 * <p>The STUN header and XOR-PEER-ADDRESS are encoded once, by {@link StunMessageCodec}, and only the
 * length fields change per datagram: the bytes are those the general encoder gives for the same message.
 * The transaction ID is chosen once, too: an indication starts no transaction (RFC 8489 §6.1), and an
 * IPv6 XOR-PEER-ADDRESS is XORed with it, so a fresh ID would mean encoding the address per datagram.
 */
public final class IndicationHeader {

    private static final int DATA = AttributeType.DATA.code();
    private static final int DATA_HEADER_LENGTH = 4;
    private static final int MAX_ATTRIBUTES_LENGTH = 0xFFFF;

    private final Method method;
    private final InetSocketAddress peer;
    /** The STUN header (its length field still zero) and XOR-PEER-ADDRESS. */
    private final byte[] prefix;
    private final int maxDataLength;

    private IndicationHeader(Method method, InetSocketAddress peer, byte[] prefix) {
        this.method = method;
        this.peer = peer;
        this.prefix = prefix;
        // The message length is a 16-bit count of the attributes' bytes, padding included (RFC 8489 §5).
        int room = MAX_ATTRIBUTES_LENGTH - (prefix.length - StunMessageCodec.HEADER_LENGTH) - DATA_HEADER_LENGTH;
        this.maxDataLength = room & ~3;
    }

    /** The header of Data indications from {@code peer} to the client (RFC 8656 §11.3), with a random transaction ID. */
    public static IndicationHeader data(InetSocketAddress peer) {
        return of(Method.DATA, peer, TransactionId.random());
    }

    /** The header of Send indications from the client to {@code peer} (RFC 8656 §11.1), with a random transaction ID. */
    public static IndicationHeader send(InetSocketAddress peer) {
        return of(Method.SEND, peer, TransactionId.random());
    }

    /**
     * The header of {@code method} (Send or Data) indications for {@code peer} with transaction ID {@code id};
     * an RFC 3489 ID is refused, since XOR-PEER-ADDRESS needs the magic cookie.
     */
    public static IndicationHeader of(Method method, InetSocketAddress peer, TransactionId id) {
        if (!method.equals(Method.SEND) && !method.equals(Method.DATA)) {
            throw new IllegalArgumentException("method: " + method + " (expected: Send or Data)");
        }
        if (id.isClassic()) {
            throw new IllegalArgumentException("transaction id: " + id + " (expected: 96 bits, not RFC 3489's 128)");
        }
        StunMessage front = StunMessage.indication(method).transactionId(id).add(new XorPeerAddress(peer)).build();
        ByteBuf buf = Unpooled.buffer(StunMessageCodec.HEADER_LENGTH + 24);
        try {
            StunMessageCodec.encode(front, buf);
            byte[] prefix = new byte[buf.readableBytes()];
            buf.readBytes(prefix);
            return new IndicationHeader(method, peer, prefix);
        } finally {
            buf.release();
        }
    }

    /** Send or Data. */
    public Method method() {
        return method;
    }

    /** The peer's transport address, as XOR-PEER-ADDRESS carries it. */
    public InetSocketAddress peer() {
        return peer;
    }

    /** The most data one indication with this header can carry: the 16-bit message length bounds it. */
    public int maxDataLength() {
        return maxDataLength;
    }

    /** The length of the indication carrying {@code dataLength} bytes, DATA's padding included. */
    public int indicationLength(int dataLength) {
        checkDataLength(dataLength);
        return prefix.length + DATA_HEADER_LENGTH + dataLength + padding(dataLength);
    }

    /**
     * Writes the indication up to DATA's value, its length fields set for {@code dataLength} bytes; the caller
     * then writes those bytes and {@link #padding} zero bytes (RFC 8489 §14). Throws
     * {@link IllegalArgumentException}, writing nothing, when the data is longer than {@link #maxDataLength()}.
     */
    public void writeHeader(int dataLength, ByteBuf out) {
        int length = indicationLength(dataLength);
        int start = out.writerIndex();
        out.writeBytes(prefix);
        out.setShort(start + 2, length - StunMessageCodec.HEADER_LENGTH);
        out.writeShort(DATA).writeShort(dataLength);
    }

    /**
     * The whole indication carrying a copy of the readable bytes of {@code data}, which are not consumed, in a
     * direct buffer of {@code alloc}; the caller owns it. Throws {@link IllegalArgumentException}, allocating
     * nothing, when the data is longer than {@link #maxDataLength()}.
     */
    public ByteBuf encode(ByteBuf data, ByteBufAllocator alloc) {
        int dataLength = data.readableBytes();
        ByteBuf out = alloc.directBuffer(indicationLength(dataLength));
        writeHeader(dataLength, out);
        return out.writeBytes(data, data.readerIndex(), dataLength).writeZero(padding(dataLength));
    }

    /** The zero bytes after a DATA value of {@code dataLength} bytes, to a multiple of four (RFC 8489 §14). */
    public static int padding(int dataLength) {
        return AttributeCodec.padding(dataLength);
    }

    private void checkDataLength(int dataLength) {
        if (dataLength < 0 || dataLength > maxDataLength) {
            throw new IllegalArgumentException(
                    "DATA: " + dataLength + " bytes (expected: 0-" + maxDataLength + " behind XOR-PEER-ADDRESS of " + peer + ")");
        }
    }

    @Override
    public String toString() {
        return method + " indication header for " + peer;
    }
}
