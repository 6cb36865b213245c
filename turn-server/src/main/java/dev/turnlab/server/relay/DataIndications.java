package dev.turnlab.server.relay;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.AttributeCodec;
import dev.turnlab.codec.attribute.AttributeType;
import dev.turnlab.codec.attribute.XorPeerAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.function.UnaryOperator;

/**
 * Data indications (RFC 8656 §10.3) written straight into the client's frame: the STUN header and
 * XOR-PEER-ADDRESS are encoded by the codec once per peer and copied, then the DATA attribute's header, the
 * payload and its padding are written behind them. No {@link StunMessage} and no payload array per datagram.
 *
 * <p>The transaction ID is chosen once per peer: an indication starts no transaction (RFC 8489 §6), so the
 * client matches nothing with it, and XOR-PEER-ADDRESS of an IPv6 peer is XORed with it, so a fresh ID per
 * datagram would mean encoding the address per datagram. One instance per relay socket, used on its event loop.
 */
final class DataIndications {

    /** Peers remembered per relay socket; beyond that the cache starts over rather than grow without bound. */
    private static final int MAX_PEERS = 256;
    private static final int DATA = AttributeType.DATA.code();

    private final HashMap<InetSocketAddress, byte[]> heads = new HashMap<>();
    private final UnaryOperator<InetSocketAddress> reported;

    /**
     * Indications that report a peer as {@code reported} maps it (see {@link RelayEndpoints#outward}); the
     * mapping runs once per peer, when its header is encoded, not per datagram.
     */
    DataIndications(UnaryOperator<InetSocketAddress> reported) {
        this.reported = reported;
    }

    /** A Data indication from {@code peer} carrying {@code payload}'s readable bytes, in a buffer of {@code alloc}. */
    ByteBuf encode(InetSocketAddress peer, ByteBuf payload, ByteBufAllocator alloc) {
        byte[] head = heads.get(peer);
        if (head == null) {
            head = head(peer);
        }
        int length = payload.readableBytes();
        int padding = AttributeCodec.padding(length);
        int total = head.length + 4 + length + padding;
        ByteBuf frame = alloc.directBuffer(total);
        int start = frame.writerIndex();
        frame.writeBytes(head);
        frame.setShort(start + 2, total - StunMessageCodec.HEADER_LENGTH);
        frame.writeShort(DATA).writeShort(length);
        frame.writeBytes(payload, payload.readerIndex(), length).writeZero(padding);
        return frame;
    }

    private byte[] head(InetSocketAddress peer) {
        if (heads.size() >= MAX_PEERS) {
            heads.clear();
        }
        StunMessage prefix = StunMessage.indication(Method.DATA).add(new XorPeerAddress(reported.apply(peer))).build();
        ByteBuf buf = Unpooled.buffer(64);
        StunMessageCodec.encode(prefix, buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        heads.put(peer, bytes);
        return bytes;
    }
}
