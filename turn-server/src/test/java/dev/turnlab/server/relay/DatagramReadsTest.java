package dev.turnlab.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class DatagramReadsTest {

    /** Direct buffers with no leak tracking, as Netty allocates them when the detector is off (the server jar). */
    private static final ByteBufAllocator UNTRACKED = new UnpooledByteBufAllocator(true, true);

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final RecvByteBufAllocator.Handle handle = new DatagramReads(8).newHandle();

    @Test
    void aBatchHasRoomForEightDatagramsOfAnySizeAfterTheHeadroom() {
        assertThat(handle.guess()).isEqualTo(4 + 8 * 65_536);
        ByteBuf batch = handle.allocate(UnpooledByteBufAllocator.DEFAULT);
        assertThat(batch.readerIndex()).isEqualTo(4);
        assertThat(batch.writableBytes()).isEqualTo(8 * 65_536);
        batch.release();
    }

    @Test
    void aFullBatchIsFollowedByAnother() {
        handle.reset(channel.config());
        batch(8);
        assertThat(handle.continueReading()).isTrue();
    }

    @Test
    void aShortBatchMeansTheQueueIsEmpty() {
        handle.reset(channel.config());
        batch(8);
        batch(3);
        assertThat(handle.continueReading()).isFalse();
    }

    @Test
    void fourFullBatchesAreTheMostPerReadinessEvent() {
        handle.reset(channel.config());
        for (int i = 0; i < 3; i++) {
            batch(8);
            assertThat(handle.continueReading()).isTrue();
        }
        batch(8);
        assertThat(handle.continueReading()).isFalse();
    }

    @Test
    void aBatchOfOneIsNoBatch() {
        assertThatThrownBy(() -> new DatagramReads(1)).hasMessage("slots: 1 (expected: >= 2)");
    }

    @Test
    void channelDataIsWrittenInTheHeadroomOfEachSlot() {
        ByteBuf batch = handle.allocate(UNTRACKED);
        // Two datagrams as recvmmsg leaves them: slot 0 after the headroom, slot 1 a SLOT further on.
        batch.setBytes(4, new byte[] {1, 2, 3});
        batch.setBytes(4 + DatagramReads.SLOT, new byte[] {9, 8, 7, 6, 5});
        ByteBuf first = batch.retainedSlice(4, 3);
        ByteBuf second = batch.retainedSlice(4 + DatagramReads.SLOT, 5);
        batch.release();

        ByteBuf secondFrame = DatagramReads.channelData(second, 0x4001);
        ByteBuf firstFrame = DatagramReads.channelData(first, 0x4000);

        assertThat(ByteBufUtil.getBytes(firstFrame)).containsExactly(0x40, 0x00, 0, 3, 1, 2, 3);
        assertThat(ByteBufUtil.getBytes(secondFrame)).containsExactly(0x40, 0x01, 0, 5, 9, 8, 7, 6, 5);
        assertThat(ByteBufUtil.getBytes(first)).as("the datagram itself").containsExactly(1, 2, 3);
        for (ByteBuf b : new ByteBuf[] {first, second, firstFrame, secondFrame}) {
            b.release();
        }
    }

    @Test
    void aDatagramTrackedByTheLeakDetectorIsLeftToBeCopied() {
        // The tests run the leak detector at PARANOID, so the default allocator tracks every buffer.
        ByteBuf batch = handle.allocate(PooledByteBufAllocator.DEFAULT);
        ByteBuf datagram = batch.retainedSlice(4, 3);
        batch.release();

        assertThat(DatagramReads.channelData(datagram, 0x4000)).isNull();
        datagram.release();
    }

    @Test
    void aBufferNotReadInBatchesHasNoHeadroom() {
        ByteBuf whole = UNTRACKED.directBuffer(64).writeZero(64);
        ByteBuf sliced = whole.retainedSlice(4, 10);
        ByteBuf heap = Unpooled.wrappedBuffer(new byte[64]).slice(4, 10);

        assertThat(DatagramReads.channelData(whole, 0x4000)).as("not a slice").isNull();
        assertThat(DatagramReads.channelData(sliced, 0x4000)).as("not at a slot").isNull();
        assertThat(DatagramReads.channelData(heap, 0x4000)).as("no memory address").isNull();
        sliced.release();
        whole.release();
    }

    /** What Netty's epoll datagram channel records for one recvmmsg that returned {@code received} datagrams. */
    private void batch(int received) {
        handle.attemptedBytesRead(8 * DatagramReads.SLOT);
        handle.lastBytesRead(received * DatagramReads.SLOT);
        handle.incMessagesRead(received);
    }
}
