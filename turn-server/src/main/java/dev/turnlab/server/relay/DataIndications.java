package dev.turnlab.server.relay;

import dev.turnlab.codec.IndicationHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.function.UnaryOperator;

/**
 * Data indications (RFC 8656 §11.3) written straight into the client's frame behind the codec's
 * {@link IndicationHeader}, kept per peer: no {@code StunMessage} and no payload array per datagram. One
 * instance per relay socket, used on its event loop.
 */
final class DataIndications {

    /** Peers remembered per relay socket; beyond that the cache starts over rather than grow without bound. */
    private static final int MAX_PEERS = 256;

    private final HashMap<InetSocketAddress, IndicationHeader> headers = new HashMap<>();
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
        IndicationHeader header = headers.get(peer);
        if (header == null) {
            header = header(peer);
        }
        return header.encode(payload, alloc);
    }

    private IndicationHeader header(InetSocketAddress peer) {
        if (headers.size() >= MAX_PEERS) {
            headers.clear();
        }
        IndicationHeader header = IndicationHeader.data(reported.apply(peer));
        headers.put(peer, header);
        return header;
    }
}
