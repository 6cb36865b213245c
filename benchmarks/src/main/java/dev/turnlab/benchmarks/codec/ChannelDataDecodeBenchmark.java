package dev.turnlab.benchmarks.codec;

import dev.turnlab.codec.ChannelData;
import dev.turnlab.codec.ChannelDataCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The relay's hot path (RFC 8656 §12.4): parsing a ChannelData message of a typical media packet
 * out of a pooled direct buffer, as a server's datagram channel receives it, then handing the
 * payload on and releasing it. No STUN parsing and no copy of the payload are involved.
 *
 * <p>Read B/op with care: Netty 4.2 recycles the retained slice only on a
 * {@code FastThreadLocalThread} (an event loop), and JMH's threads are plain ones, so here the slice
 * and its reference count are allocated (96 B/op in all). On a {@code FastThreadLocalThread} the same
 * parse allocates 24 B, the {@code ChannelData} holder alone (measured with
 * {@code ThreadMXBean.getCurrentThreadAllocatedBytes}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChannelDataDecodeBenchmark {

    // An Opus frame of 20 ms is about 160 bytes; with RTP and SRTP overhead, about 200.
    private static final int PAYLOAD = 200;

    private ByteBuf datagram;

    @Setup
    public void setUp() {
        datagram = PooledByteBufAllocator.DEFAULT.directBuffer(ChannelDataCodec.HEADER_LENGTH + PAYLOAD);
        datagram.writeShort(0x4001).writeShort(PAYLOAD).writeZero(PAYLOAD);
    }

    @TearDown
    public void tearDown() {
        datagram.release();
    }

    /** Parse, read the channel number and the payload's length, release the retained slice. */
    @Benchmark
    public int decodeChannelData() {
        ChannelData message = ChannelDataCodec.decode(datagram.readerIndex(0));
        try {
            return message.channelNumber() + message.content().readableBytes();
        } finally {
            message.release();
        }
    }
}
