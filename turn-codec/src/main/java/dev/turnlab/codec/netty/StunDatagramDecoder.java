package dev.turnlab.codec.netty;

import dev.turnlab.codec.ChannelData;
import dev.turnlab.codec.ChannelDataCodec;
import dev.turnlab.codec.PacketKind;
import dev.turnlab.codec.StunCodecException;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes UDP datagrams, demultiplexed by their first byte ({@link PacketKind}, RFC 7983 §7): STUN becomes an
 * {@code AddressedEnvelope<StunMessage, InetSocketAddress>}, ChannelData an
 * {@code AddressedEnvelope<ChannelData, InetSocketAddress>} (sender: the remote peer; recipient:
 * the local address), and anything else (DTLS, RTP, RTCP, ZRTP) goes on as the same
 * {@link DatagramPacket} for another handler. A malformed STUN message that deserves a 400
 * ({@link StunCodecException#isAnswerable()}) goes on as a {@link MalformedStunMessage}; other
 * malformed datagrams (RFC 8489 §7.3: a length that is not sensible, a wrong FINGERPRINT) are
 * dropped, counted and logged at DEBUG. Bad input never raises an exception from this handler.
 */
@Sharable
public final class StunDatagramDecoder extends MessageToMessageDecoder<DatagramPacket> {

    private static final Logger logger = LoggerFactory.getLogger(StunDatagramDecoder.class);

    private final CodecCounters counters;

    /** A decoder with counters of its own. */
    public StunDatagramDecoder() {
        this(new CodecCounters());
    }

    /** A decoder that counts into {@code counters}, which may be shared with other channels. */
    public StunDatagramDecoder(CodecCounters counters) {
        super(DatagramPacket.class);
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /** The counters this decoder updates. */
    public CodecCounters counters() {
        return counters;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        switch (PacketKind.of(packet.content())) {
            case STUN -> decodeStun(packet, out);
            case CHANNEL_DATA -> decodeChannelData(packet, out);
            case OTHER -> {
                counters.onPassedOn();
                out.add(packet.retain());
            }
            case EMPTY -> drop(packet, "empty datagram");
        }
    }

    private void decodeStun(DatagramPacket packet, List<Object> out) {
        StunMessage message;
        try {
            message = StunMessageCodec.decode(packet.content());
        } catch (StunCodecException e) {
            if (!e.isAnswerable()) {
                drop(packet, e.getMessage());
                return;
            }
            counters.onMalformedStun();
            logger.debug("malformed STUN message from {}: {}", packet.sender(), e.getMessage());
            out.add(new MalformedStunMessage(e, packet.sender(), packet.recipient()));
            return;
        }
        counters.onDecodedStun();
        out.add(new DefaultAddressedEnvelope<>(message, packet.recipient(), packet.sender()));
    }

    private void decodeChannelData(DatagramPacket packet, List<Object> out) {
        ChannelData message;
        try {
            // Bytes after the data are padding, which RFC 8656 §12.5 allows on UDP.
            message = ChannelDataCodec.decode(packet.content());
        } catch (StunCodecException e) {
            drop(packet, e.getMessage());
            return;
        }
        counters.onDecodedChannelData();
        out.add(new DefaultAddressedEnvelope<>(message, packet.recipient(), packet.sender()));
    }

    private void drop(DatagramPacket packet, String reason) {
        counters.onDroppedMalformed();
        logger.debug("dropped datagram from {}: {}", packet.sender(), reason);
    }
}
