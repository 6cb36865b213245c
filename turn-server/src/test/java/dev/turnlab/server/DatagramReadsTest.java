package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class DatagramReadsTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final RecvByteBufAllocator.Handle handle = new DatagramReads(8).newHandle();

    @Test
    void aBatchHasRoomForEightDatagramsOfAnySize() {
        assertThat(handle.guess()).isEqualTo(8 * 65_536);
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

    /** What Netty's epoll datagram channel records for one recvmmsg that returned {@code received} datagrams. */
    private void batch(int received) {
        handle.attemptedBytesRead(8 * DatagramReads.SLOT);
        handle.lastBytesRead(received * DatagramReads.SLOT);
        handle.incMessagesRead(received);
    }
}
