package dev.turnlab.codec.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.ChannelData;
import dev.turnlab.testing.tools.RecordingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A partial frame is held in a buffer of about its size: not in the read buffer it began in, and never in
 * more than the frame's length, however its bytes arrive; all of it released once the frame completes or
 * the connection closes.
 */
class FrameCumulatorTest {

    /** A STUN header announcing 65,532 bytes of attributes: a frame of 65,552 bytes. */
    private static final byte[] LONGEST_HEADER = {0x00, 0x01, (byte) 0xFF, (byte) 0xFC, 0x21, 0x12, (byte) 0xA4, 0x42,
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    private static final int LONGEST_FRAME = 20 + 0xFFFC;

    private final RecordingAllocator alloc = new RecordingAllocator();

    @AfterEach
    void nothingLeaked() {
        alloc.assertAllReleased();
    }

    /** What the decoder would hold after {@code reads}, each cumulated onto the last. */
    private ByteBuf cumulate(ByteBuf... reads) {
        ByteBuf held = Unpooled.EMPTY_BUFFER;
        for (ByteBuf read : reads) {
            held = FrameCumulator.INSTANCE.cumulate(alloc, held, read);
        }
        return held;
    }

    /** {@code bytes} in a read buffer of {@code capacity}, as a socket read leaves it. */
    private ByteBuf read(int capacity, byte... bytes) {
        return alloc.buffer(capacity).writeBytes(bytes);
    }

    @Test
    void aTrickleIsNotHeldInTheReadBufferItBeganIn() {
        // The first byte came in a 64 KiB read buffer, as after bulk reads; the rest trickle in one at a time.
        ByteBuf held = cumulate(read(65536, LONGEST_HEADER[0]), read(1, LONGEST_HEADER[1]), read(1, LONGEST_HEADER[2]));
        assertThat(held.readableBytes()).isEqualTo(3);
        assertThat(held.capacity()).isLessThanOrEqualTo(FrameCumulator.SMALL);
        held.release();
    }

    @Test
    void aTrickledFrameHoldsAboutWhatArrivedNotWhatItAnnounced() {
        ByteBuf held = Unpooled.EMPTY_BUFFER;
        for (int i = 0; i < 3000; i++) {
            held = FrameCumulator.INSTANCE.cumulate(alloc, held, read(1, i < 20 ? LONGEST_HEADER[i] : 0));
            assertThat(held.capacity()).isLessThanOrEqualTo(Math.max(FrameCumulator.SMALL, 2 * (i + 1)));
        }
        held.release();
    }

    @Test
    void aFrameThatStreamsInNeverTakesMoreThanItsLength() {
        ByteBuf[] reads = new ByteBuf[33];
        reads[0] = read(2048, LONGEST_HEADER);
        reads[0].writeZero(2048 - LONGEST_HEADER.length);
        for (int i = 1; i < reads.length; i++) {
            reads[i] = read(2048).writeZero(Math.min(2048, LONGEST_FRAME - 1 - 2048 * i));
        }
        ByteBuf held = cumulate(reads);
        // Netty's default cumulator doubles its way to 128 KiB for this frame.
        assertThat(held.readableBytes()).isEqualTo(LONGEST_FRAME - 1);
        assertThat(held.capacity()).isEqualTo(LONGEST_FRAME);
        held.release();
    }

    @Test
    void theCapacityIsTwiceWhatIsHeldCappedByTheFrameOrAllOfSeveralFrames() {
        assertThat(FrameCumulator.capacityFor(0, 3)).isEqualTo(FrameCumulator.SMALL);
        assertThat(FrameCumulator.capacityFor(65552, 3000)).isEqualTo(6000);
        assertThat(FrameCumulator.capacityFor(65552, 40000)).isEqualTo(65552);
        assertThat(FrameCumulator.capacityFor(100, 3000)).isEqualTo(3000);
    }

    @Test
    void aDecoderHoldsNothingOnceTheFrameCompletesOrTheConnectionCloses() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        StunStreamDecoder decoder = new StunStreamDecoder();
        channel.pipeline().addLast(decoder);
        byte[] channelData = {0x40, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0};
        for (int i = 0; i < channelData.length - 1; i++) {
            assertThat(channel.writeInbound(read(64, channelData[i]))).isFalse();
            assertThat(decoder.bufferedBytes()).isEqualTo(i + 1);
        }
        assertThat(channel.writeInbound(read(64, channelData[channelData.length - 1]))).isTrue();
        assertThat(decoder.bufferedBytes()).isZero();
        ((ChannelData) channel.readInbound()).release();

        channel.writeInbound(read(4096, LONGEST_HEADER));
        assertThat(decoder.bufferedBytes()).isEqualTo(LONGEST_HEADER.length);
        assertThat(channel.finish()).isFalse();
    }
}
