package dev.turnlab.codec.netty;

import dev.turnlab.codec.StunCodecException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * How {@link StunStreamDecoder} holds the start of a frame until the rest arrives: in a buffer the size of
 * that frame, never more. Netty's default cumulator keeps the read buffer whose tail began the frame (up
 * to 64 KiB for a frame's first byte) and grows by powers of two (128 KiB for a 64 KiB frame); this one
 *
 * <ul>
 *   <li>decodes straight from the read buffer when nothing is held: no copy on a stream whose reads end
 *       on frame boundaries;</li>
 *   <li>appends in place while the held buffer has room and is no larger than the frame needs;</li>
 *   <li>otherwise copies what is held and what arrived into a buffer twice their size, at most the
 *       frame's length: a frame that streams in is copied a few times, and a trickle holds about
 *       what it sent, not a read buffer or a 64 KiB frame it announced.</li>
 * </ul>
 */
final class FrameCumulator implements ByteToMessageDecoder.Cumulator {

    /** Below this a held buffer is not worth replacing. */
    static final int SMALL = 1024;

    /** The cumulator; it keeps no state. */
    static final FrameCumulator INSTANCE = new FrameCumulator();

    private FrameCumulator() {
    }

    @Override
    public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        if (!cumulation.isReadable()) {
            cumulation.release();
            return in;
        }
        try {
            int needed = cumulation.readableBytes() + in.readableBytes();
            int target = capacityFor(frameLength(cumulation), needed);
            if (cumulation.refCnt() == 1 && !cumulation.isReadOnly() && cumulation.capacity() <= target
                    && cumulation.writableBytes() >= in.readableBytes()) {
                cumulation.writeBytes(in);
                return cumulation;
            }
            ByteBuf held = alloc.buffer(target);
            held.writeBytes(cumulation).writeBytes(in);
            cumulation.release();
            return held;
        } finally {
            in.release();
        }
    }

    /**
     * The capacity to hold {@code needed} bytes that begin with a frame of {@code frame} bytes (0: not yet
     * known): twice what is there, at least {@link #SMALL}, at most the frame; or all of it when it holds
     * more than one frame.
     */
    static int capacityFor(int frame, int needed) {
        if (frame == 0) {
            return Math.max(needed, SMALL);
        }
        return needed >= frame ? needed : Math.min(frame, Math.max(2 * needed, SMALL));
    }

    /** The length of the frame that starts what is held, or 0 while unknown or not a frame. */
    private static int frameLength(ByteBuf held) {
        try {
            return Math.max(0, StreamFraming.frameLength(held));
        } catch (StunCodecException e) {
            return 0; // the decoder reports it
        }
    }
}
