package dev.turnlab.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.admin.LatencyHistogram;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** A sampled datagram's time in the server ends at the flush that hands it to the kernel, once per loop turn. */
class FlusherLatencyTest {

    @Test
    void aSampleWrittenInThisTurnIsRecordedAtItsFlush() throws Exception {
        onFreshThread(FlusherLatencyTest::sampleAtFlush);
    }

    @Test
    void withNoFlushPendingTheSampleIsRecordedAtOnce() throws Exception {
        onFreshThread(FlusherLatencyTest::sampleAtOnce);
    }

    private static void sampleAtFlush() {
        EmbeddedChannel socket = new EmbeddedChannel();
        LatencyHistogram latency = LatencyHistogram.relayLatency();
        Flusher.write(socket, Unpooled.wrappedBuffer(new byte[] {1}));
        Flusher.observeAtFlush(latency, System.nanoTime());
        // A second sample in the same turn is not kept: one per turn is enough at one in 64.
        Flusher.observeAtFlush(latency, System.nanoTime());
        assertThat(latency.snapshot().count()).isZero();
        assertThat(socket.outboundMessages()).isEmpty();

        socket.runPendingTasks();

        assertThat(socket.outboundMessages()).hasSize(1);
        assertThat(latency.snapshot().count()).isEqualTo(1);
        assertThat(socket.finishAndReleaseAll()).isTrue();
    }

    private static void sampleAtOnce() {
        LatencyHistogram latency = LatencyHistogram.relayLatency();
        Flusher.observeAtFlush(latency, System.nanoTime() - 2_000_000);
        LatencyHistogram.Snapshot s = latency.snapshot();
        assertThat(s.count()).isEqualTo(1);
        assertThat(s.sum().toNanos()).isGreaterThanOrEqualTo(2_000_000);
    }

    /**
     * Runs {@code test} on a thread of its own: the flusher is per thread, and another test's embedded channel
     * may have left this one's with a flush pending on a loop nobody runs.
     */
    private static void onFreshThread(Runnable test) throws Exception {
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                test.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        t.join(30_000);
        assertThat(t.isAlive()).as("test thread finished").isFalse();
        if (failure[0] instanceof Error e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
    }
}
