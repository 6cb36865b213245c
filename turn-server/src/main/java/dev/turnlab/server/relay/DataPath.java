package dev.turnlab.server.relay;

import dev.turnlab.codec.ChannelDataCodec;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.ChannelBinding;
import dev.turnlab.server.allocation.ClientLink;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * The relay's hot path in both directions (RFC 8656 §10, §12): ChannelData is read from its 4-byte
 * header only, never parsed as STUN; payloads go to peers as retained slices and to clients copied into
 * their frame. Each direction passes the allocation's bandwidth limit ({@link Allocation#admitToPeer},
 * {@link Allocation#admitToClient}). Called on the allocation's event loop; nothing here logs or allocates
 * beyond Netty's buffers and envelopes.
 */
public final class DataPath {

    /** What became of data from a client, for the caller to count. */
    public enum ToPeer {
        /** Written to the relay socket. */
        RELAYED,
        /** No bound channel, a bad length, or the allocation past its lifetime (RFC 8656 §12.6). */
        NOT_BOUND,
        /** The relay socket's queue is past its high water mark even after a flush: the kernel refused data. */
        RELAY_FULL,
        /** Past the allocation's bandwidth limit (max-bps); counted in the allocation's traffic. */
        OVER_RATE
    }

    private DataPath() {
    }

    /**
     * Relays a ChannelData datagram from the client to the bound peer (RFC 8656 §12.6), reading only
     * its 4-byte header: a length beyond the datagram, an unbound channel, or an allocation past its
     * lifetime that the sweep has not reached yet drops it. Does not release {@code frame}.
     */
    public static ToPeer channelDataToPeer(Allocation allocation, ByteBuf frame, long now) {
        int start = frame.readerIndex();
        if (frame.readableBytes() < ChannelDataCodec.HEADER_LENGTH || allocation.isExpired(now)) {
            return ToPeer.NOT_BOUND;
        }
        int length = frame.getUnsignedShort(start + 2);
        if (length > frame.readableBytes() - ChannelDataCodec.HEADER_LENGTH) {
            return ToPeer.NOT_BOUND;
        }
        ChannelBinding binding = allocation.channel(frame.getUnsignedShort(start), now);
        if (binding == null) {
            return ToPeer.NOT_BOUND;
        }
        return forward(allocation, binding, frame, start + ChannelDataCodec.HEADER_LENGTH, length, now);
    }

    /**
     * Relays the data of channel {@code number} to its peer (RFC 8656 §12.6), as a retained slice of
     * {@code data}; an unbound or expired channel, or an expired allocation, drops it. Does not release
     * {@code data}.
     */
    public static ToPeer channelDataToPeer(Allocation allocation, int number, ByteBuf data, long now) {
        ChannelBinding binding = allocation.isExpired(now) ? null : allocation.channel(number, now);
        return binding == null ? ToPeer.NOT_BOUND
                : forward(allocation, binding, data, data.readerIndex(), data.readableBytes(), now);
    }

    /**
     * Writes the payload as a retained slice, which keeps the whole receive batch it came in alive until
     * it is sent; a relay socket the kernel will not take more from drops it instead (see
     * {@link Flusher#writable}), so that a peer path that does not drain cannot make the server hold batches;
     * past the allocation's bandwidth limit it is dropped too. The limit is asked last, so that it is charged
     * only for data the relay socket takes.
     */
    private static ToPeer forward(Allocation allocation, ChannelBinding binding, ByteBuf frame, int index, int length,
            long now) {
        Channel relay = binding.relay().channel();
        if (!Flusher.writable(relay)) {
            return ToPeer.RELAY_FULL;
        }
        if (!allocation.admitToPeer(length, now)) {
            return ToPeer.OVER_RATE;
        }
        allocation.countToPeer(length);
        Flusher.write(relay, new DatagramPacket(frame.retainedSlice(index, length), binding.peer()));
        return ToPeer.RELAYED;
    }

    /**
     * Relays the DATA of a Send indication to its peer (RFC 8656 §10.2) from the relay of the peer's
     * family; the caller checked the permission, which implies the family. Dropped, as {@link ToPeer#RELAY_FULL},
     * if the relay socket will not take more, or as {@link ToPeer#OVER_RATE} past the bandwidth limit.
     */
    public static ToPeer sendToPeer(Allocation allocation, InetSocketAddress peer, Data data, long now) {
        Channel relay = allocation.relayFor(peer.getAddress()).channel();
        if (!Flusher.writable(relay)) {
            return ToPeer.RELAY_FULL;
        }
        if (!allocation.admitToPeer(data.length(), now)) {
            return ToPeer.OVER_RATE;
        }
        ByteBuf payload = relay.alloc().directBuffer(data.length());
        data.writeTo(payload);
        Flusher.write(relay, new DatagramPacket(payload, peer));
        allocation.countToPeer(data.length());
        return ToPeer.RELAYED;
    }

    /**
     * Relays a datagram from a peer to the client (RFC 8656 §10.3, §12.7): dropped without a permission
     * for the peer's IP or once the allocation's lifetime has passed (the sweep may not have closed it
     * yet); dropped past the allocation's bandwidth limit, before anything is encoded, counted by the
     * allocation; ChannelData when a channel is bound to the peer, else a Data indication, handed to the
     * client's link, which counts it if it drops it. Does not release
     * {@code payload}, which is copied, so that its receive batch is freed as soon as it is read (see
     * {@code DatagramReads}); returns false only without a permission or past the lifetime.
     */
    static boolean peerToClient(Allocation allocation, InetSocketAddress peer, ByteBuf payload, long now,
            DataIndications indications) {
        if (allocation.isExpired(now) || !allocation.hasPermission(peer.getAddress(), now)) {
            return false;
        }
        int length = payload.readableBytes();
        if (!allocation.admitToClient(length, now)) {
            return true;
        }
        ClientLink client = allocation.client();
        ChannelBinding binding = allocation.channelTo(peer, now);
        ByteBuf frame = binding == null ? indications.encode(peer, payload, client.alloc())
                : channelData(client, binding.number(), payload);
        if (client.relay(frame)) {
            allocation.countToClient(length);
        }
        return true;
    }

    /** ChannelData to the client (RFC 8656 §12.4), a copy of {@code payload}. */
    private static ByteBuf channelData(ClientLink client, int number, ByteBuf payload) {
        int length = payload.readableBytes();
        // §12.5: over TCP and TLS ChannelData is padded to a multiple of 4 bytes; over UDP it need not be.
        int padding = client.fiveTuple().transport().isStream() ? ChannelDataCodec.padding(length) : 0;
        ByteBuf frame = client.alloc().directBuffer(ChannelDataCodec.HEADER_LENGTH + length + padding);
        ChannelDataCodec.writeHeader(number, length, frame);
        return frame.writeBytes(payload, payload.readerIndex(), length).writeZero(padding);
    }
}
