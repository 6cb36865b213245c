package dev.turnlab.benchmarks.codec;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.TransactionId;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.XorMappedAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetSocketAddress;
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

/** Encoding an authenticated success response: XOR-MAPPED-ADDRESS, SOFTWARE, MESSAGE-INTEGRITY, FINGERPRINT. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StunEncodeBenchmark {

    private final InetSocketAddress mapped = new InetSocketAddress("192.0.2.1", 32853);
    private final Software software = new Software("turnlab");
    private final TransactionId transactionId = TransactionId.random();
    private byte[] key;
    private ByteBuf out;

    @Setup
    public void setUp() {
        key = Messages.longTermKey();
        out = PooledByteBufAllocator.DEFAULT.directBuffer(256);
    }

    @TearDown
    public void tearDown() {
        out.release();
    }

    /** Builds the response and encodes it, integrity and fingerprint computed, into a reused buffer. */
    @Benchmark
    public ByteBuf encodeSuccessResponse() {
        StunMessage response = StunMessage.builder(Method.BINDING, StunClass.SUCCESS_RESPONSE)
                .transactionId(transactionId)
                .add(new XorMappedAddress(mapped), software)
                .integrity(key)
                .fingerprint()
                .build();
        out.clear();
        StunMessageCodec.encode(response, out);
        return out;
    }
}
