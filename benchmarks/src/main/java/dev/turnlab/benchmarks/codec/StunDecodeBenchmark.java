package dev.turnlab.benchmarks.codec;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.StunMessageView;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
 * Decoding the requests a server sees most: the Binding probe and the authenticated Allocate,
 * the latter with its MESSAGE-INTEGRITY checked as the server does it (key already looked up); each as a
 * {@link StunMessage} and through the allocation-free {@link StunMessageView}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StunDecodeBenchmark {

    private ByteBuf binding;
    private ByteBuf bindingWithFingerprint;
    private ByteBuf allocate;
    private byte[] key;
    private final StunMessageView view = new StunMessageView();

    @Setup
    public void setUp() {
        binding = direct(Messages.bindingRequest());
        bindingWithFingerprint = direct(Messages.bindingRequestWithFingerprint());
        allocate = direct(Messages.authenticatedAllocate());
        key = Messages.longTermKey();
    }

    @TearDown
    public void tearDown() {
        binding.release();
        bindingWithFingerprint.release();
        allocate.release();
    }

    /** Binding request, header only (what a Callbridge's reachability check sends). */
    @Benchmark
    public StunMessage decodeBindingRequest() {
        return StunMessageCodec.decode(binding.readerIndex(0));
    }

    /** Binding request with SOFTWARE and a FINGERPRINT that the decoder checks. */
    @Benchmark
    public StunMessage decodeBindingRequestWithFingerprint() {
        return StunMessageCodec.decode(bindingWithFingerprint.readerIndex(0));
    }

    /** Authenticated Allocate: decode, check FINGERPRINT, then verify MESSAGE-INTEGRITY (HMAC-SHA1). */
    @Benchmark
    public boolean decodeAndVerifyAllocate() {
        StunMessage request = StunMessageCodec.decode(allocate.readerIndex(0));
        return request.verifyIntegrity(key);
    }

    /** Binding request, header only, through the view: header checked, method, class and transaction ID read. */
    @Benchmark
    public int viewBindingRequest() {
        return view.wrap(binding) && view.method() == Method.BINDING && view.stunClass() == StunClass.REQUEST
                ? view.transactionIdIndex() : -1;
    }

    /** Binding request with SOFTWARE and FINGERPRINT through the view: attributes walked, CRC checked. */
    @Benchmark
    public boolean viewBindingRequestWithFingerprint() {
        return view.wrap(bindingWithFingerprint) && view.fingerprint() >= 0;
    }

    /** Authenticated Allocate through the view: attributes walked, FINGERPRINT and MESSAGE-INTEGRITY checked in place. */
    @Benchmark
    public boolean viewAndVerifyAllocate() {
        return view.wrap(allocate) && view.verifyIntegrity(key);
    }

    private static ByteBuf direct(byte[] bytes) {
        ByteBuf buf = Unpooled.directBuffer(bytes.length);
        buf.writeBytes(bytes);
        return buf;
    }
}
