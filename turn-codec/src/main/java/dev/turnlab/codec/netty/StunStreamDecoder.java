package dev.turnlab.codec.netty;

import dev.turnlab.codec.ChannelData;
import dev.turnlab.codec.ChannelDataCodec;
import dev.turnlab.codec.StunCodecException;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames and decodes a TCP or TLS stream of STUN messages and ChannelData (RFC 8489 §6.2.2,
 * RFC 8656 §12.5), whatever the boundaries of the reads. It emits {@link StunMessage},
 * {@link ChannelData} (a retained slice of the stream, not a copy) and, for a well-framed request
 * that deserves a 400, {@link MalformedStunMessage} with no addresses; a frame RFC 8489 §7.3 says to
 * discard silently is dropped and counted.
 *
 * <p>A frame is at most {@value #MAX_FRAME_LENGTH} bytes: the 16-bit length fields allow no more,
 * so a peer cannot make this decoder buffer more than one frame plus one read, and a partial frame is
 * held in a buffer of about its size ({@link FrameCumulator}), released when the frame completes or the
 * connection closes. When
 * the bytes cannot start a frame there is no way to find the next one: the decoder throws a
 * {@link StunCodecException} once, for the pipeline to close the connection, and discards
 * everything that follows. One instance per connection.
 */
public final class StunStreamDecoder extends ByteToMessageDecoder {

    /**
     * The longest frame, a STUN header with a length field of 65535 (RFC 8489 §5); ChannelData
     * frames stay below it ({@link ChannelDataCodec#MAX_FRAME_LENGTH}).
     */
    public static final int MAX_FRAME_LENGTH = StunMessageCodec.MAX_MESSAGE_LENGTH;

    private static final Logger logger = LoggerFactory.getLogger(StunStreamDecoder.class);

    private final CodecCounters counters;
    private boolean broken;

    /** A decoder with counters of its own. */
    public StunStreamDecoder() {
        this(new CodecCounters());
    }

    /** A decoder that counts into {@code counters}, which may be shared with other connections. */
    public StunStreamDecoder(CodecCounters counters) {
        this.counters = Objects.requireNonNull(counters, "counters");
        setCumulator(FrameCumulator.INSTANCE);
    }

    /** The bytes of a frame begun but not yet complete that this decoder holds; 0 between frames. */
    public int bufferedBytes() {
        return internalBuffer().readableBytes();
    }

    /** The counters this decoder updates. */
    public CodecCounters counters() {
        return counters;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int frameLength;
        try {
            frameLength = StreamFraming.frameLength(in);
        } catch (StunCodecException e) {
            broken = true;
            in.skipBytes(in.readableBytes());
            counters.onDroppedMalformed();
            logger.debug("broken frame from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
            throw e;
        }
        if (frameLength < 0 || in.readableBytes() < frameLength) {
            return;
        }
        if (ChannelDataCodec.isChannelData(in)) {
            int end = in.readerIndex() + frameLength;
            out.add(ChannelDataCodec.decode(in));
            in.readerIndex(end); // past the padding
            counters.onDecodedChannelData();
        } else {
            decodeStun(ctx, in.readSlice(frameLength), out);
        }
    }

    private void decodeStun(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        try {
            out.add(StunMessageCodec.decode(frame));
            counters.onDecodedStun();
        } catch (StunCodecException e) {
            if (!e.isAnswerable()) {
                // RFC 8489 §7.3: a wrong FINGERPRINT or a length that is not a multiple of 4.
                counters.onDroppedMalformed();
                logger.debug("dropped STUN frame from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
                return;
            }
            counters.onMalformedStun();
            logger.debug("malformed STUN message from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
            out.add(new MalformedStunMessage(e, null, null));
        }
    }
}
