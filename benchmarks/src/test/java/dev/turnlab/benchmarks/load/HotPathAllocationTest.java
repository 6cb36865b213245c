package dev.turnlab.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnlab.codec.ChannelDataCodec;
import dev.turnlab.codec.IndicationHeader;
import dev.turnlab.testing.tools.AllocatedBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The per-packet work of a session, without the sockets: writing a probe into its frame, finding it in
 * the echo, counting it and moving the window. None of it may allocate.
 */
class HotPathAllocationTest {

    private static final int PAYLOAD = 160;
    private static final int ROUNDS = 200_000;

    // Untracked: under the paranoid leak detector every access to a tracked buffer records a stack trace.
    private final ByteBuf frame = new UnpooledByteBufAllocator(true, true).directBuffer(512);
    private final IndicationHeader send = IndicationHeader.send(new InetSocketAddress("2001:db8::1", 40000));
    private final SessionStats stats = new SessionStats();
    private final ClosedLoop loop = new ClosedLoop(16, 1_000_000, stats::echoed);
    private long sequence;

    @Test
    void aProbeRoundTripAllocatesNothing() {
        assumeTrue(AllocatedBytes.measurable(), "this JVM does not count allocated bytes per thread");
        stats.window(0, Long.MAX_VALUE);
        try {
            run(ROUNDS); // warm up: class loading and compilation allocate, the steady state must not
            long allocated = AllocatedBytes.during(() -> run(ROUNDS));
            // The slack is for a late compilation on a loaded machine (2,488 bytes seen once); one object per round
            // would be several megabytes.
            assertThat(allocated).as("bytes allocated by %d probe round trips", ROUNDS).isLessThan(64 * 1024);
            assertThat(stats.tally(0).received()).isEqualTo(2L * 2 * ROUNDS);
        } finally {
            frame.release();
        }
    }

    private void run(int rounds) {
        for (int i = 0; i < rounds; i++) {
            long now = System.nanoTime();
            // ChannelData, as a session writes it and the server sends it back.
            frame.clear();
            ChannelDataCodec.writeHeader(Session.CHANNEL, PAYLOAD, frame);
            Probe.write(frame, sequence, now, PAYLOAD);
            int at = Frames.channelDataPayload(frame);
            echo(at, Frames.channelDataPayloadLength(frame), now);
            // A Send indication; the Data indication coming back has the same layout.
            frame.clear();
            send.writeHeader(PAYLOAD, frame);
            Probe.write(frame, sequence, now, PAYLOAD);
            frame.writeZero(IndicationHeader.padding(PAYLOAD));
            at = Frames.dataIndicationPayload(frame);
            echo(at, frame.getUnsignedShort(at - 2), now);
        }
    }

    private void echo(int at, int length, long now) {
        if (length != PAYLOAD) {
            throw new AssertionError("payload of " + length + " bytes (expected: " + PAYLOAD + ")");
        }
        loop.onSent(now);
        sequence++;
        long echoed = Probe.sequence(frame, at);
        if (stats.onEcho(echoed, Probe.sentNanos(frame, at), now)) {
            loop.onEcho(echoed);
        }
    }
}
