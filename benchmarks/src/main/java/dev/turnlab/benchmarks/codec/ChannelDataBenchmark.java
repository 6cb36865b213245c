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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The relay's hot path on the wire: reading a ChannelData message (RFC 8656 §12.4). {@code parse}
 * is what the relay needs per packet (channel number and payload bounds, no object);
 * {@code decode} builds the reference-counted {@link ChannelData} holder around a slice.
 *
 * <p>Read the B/op of {@code decodeAndRelease} with care: Netty 4.2 recycles retained slices only on
 * a {@code FastThreadLocalThread} (an event loop) and JMH's threads are plain ones, so here the slice
 * and its reference count are allocated too; on an event loop only the 24-byte holder is.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChannelDataBenchmark {

    /** Payload size: an Opus audio frame, and a full video packet. */
    @Param({"160", "1200"})
    public int payload;

    private ByteBuf packet;

    @Setup
    public void setUp() {
        packet = PooledByteBufAllocator.DEFAULT.directBuffer(ChannelDataCodec.HEADER_LENGTH + payload);
        ChannelDataCodec.writeHeader(0x4001, payload, packet);
        packet.writeZero(payload);
    }

    @TearDown
    public void tearDown() {
        packet.release();
    }

    /** Detect, read channel number and length, check bounds: what a relay does before forwarding. */
    @Benchmark
    public int parse() {
        ByteBuf in = packet;
        if (!ChannelDataCodec.isChannelData(in)) {
            return -1;
        }
        int frame = ChannelDataCodec.frameLength(in);
        return frame + in.getUnsignedShort(in.readerIndex());
    }

    /** The holder with a retained slice of the payload, released again. */
    @Benchmark
    public int decodeAndRelease() {
        packet.readerIndex(0);
        ChannelData data = ChannelDataCodec.decode(packet);
        int channel = data.channelNumber();
        data.release();
        return channel;
    }
}
