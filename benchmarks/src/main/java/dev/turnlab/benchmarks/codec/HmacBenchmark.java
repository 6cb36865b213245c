package dev.turnlab.benchmarks.codec;

import dev.turnlab.codec.auth.IntegrityAlgorithm;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
 * The HMAC-SHA1 of MESSAGE-INTEGRITY (RFC 8489 §14.5) over the bytes an authenticated Allocate covers, keyed
 * per message as a server must: the JDK's {@link Mac} (a new key spec per message, a new array per MAC) against
 * the codec's HMAC over a reused digest, which {@link IntegrityAlgorithm} keeps per thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HmacBenchmark {

    private byte[] key;
    private byte[] covered;
    private ByteBuf direct;
    private ByteBuf out;
    private Mac jdk;

    @Setup
    public void setUp() throws GeneralSecurityException {
        key = Messages.longTermKey();
        byte[] allocate = Messages.authenticatedAllocate();
        // Up to MESSAGE-INTEGRITY: the Allocate less its MESSAGE-INTEGRITY (24 bytes) and FINGERPRINT (8).
        covered = java.util.Arrays.copyOf(allocate, allocate.length - 32);
        direct = Unpooled.directBuffer(covered.length).writeBytes(covered);
        out = Unpooled.directBuffer(64);
        jdk = Mac.getInstance("HmacSHA1");
    }

    @TearDown
    public void tearDown() {
        direct.release();
        out.release();
    }

    /** The JDK's Mac, keyed per message, over the covered bytes in an array. */
    @Benchmark
    public byte[] jdkMac() throws GeneralSecurityException {
        jdk.init(new SecretKeySpec(key, "HmacSHA1"));
        jdk.update(covered);
        return jdk.doFinal();
    }

    /** The codec's HMAC, keyed per message, over the covered bytes in a direct buffer, written to another. */
    @Benchmark
    public ByteBuf codecHmac() {
        IntegrityAlgorithm.HMAC_SHA1.write(key, direct, 0, covered.length, out.clear());
        return out;
    }
}
