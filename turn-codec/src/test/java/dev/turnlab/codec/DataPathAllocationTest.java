package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnlab.testing.tools.AllocatedBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * What the codec does per relayed datagram: telling a datagram's kind by its first byte and writing a Send or
 * Data indication behind its {@link IndicationHeader}. Neither may allocate once warm.
 */
class DataPathAllocationTest {

    private static final int PAYLOAD = 160;
    private static final int ROUNDS = 200_000;

    // Untracked: under the paranoid leak detector every access to a tracked buffer records a stack trace.
    private final ByteBuf frame = new UnpooledByteBufAllocator(true, true).directBuffer(512);
    private final IndicationHeader header = IndicationHeader.data(new InetSocketAddress("2001:db8::1", 40000));
    private long kinds;

    @Test
    void classifyingAndWritingIndicationsAllocatesNothing() {
        assumeTrue(AllocatedBytes.measurable(), "this JVM does not count allocated bytes per thread");
        try {
            run(ROUNDS); // warm up: class loading and compilation allocate, the steady state must not
            long allocated = AllocatedBytes.during(() -> run(ROUNDS));
            // The slack is for a late compilation on a loaded machine (2,488 bytes seen once); one object per round
            // would be several megabytes.
            assertThat(allocated).as("bytes allocated by %d datagrams", ROUNDS).isLessThan(64 * 1024);
            assertThat(kinds).as("datagrams told apart, in both runs").isEqualTo(2L * 2 * ROUNDS);
        } finally {
            frame.release();
        }
    }

    private void run(int rounds) {
        for (int i = 0; i < rounds; i++) {
            frame.clear();
            header.writeHeader(PAYLOAD, frame);
            frame.writeZero(PAYLOAD + IndicationHeader.padding(PAYLOAD));
            if (PacketKind.of(frame) == PacketKind.STUN) {
                kinds++;
            }
            frame.setByte(0, 0x40);
            if (PacketKind.of(frame) == PacketKind.CHANNEL_DATA) {
                kinds++;
            }
        }
    }
}
