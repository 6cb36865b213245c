package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;

/**
 * Coverage-guided fuzzing of {@link StunMessageCodec#decode} (RFC 8489 §5, §14): whatever the bytes, in
 * whatever kind of buffer, decoding gives a message that survives its own encoding or one
 * {@link StunCodecException}, never another exception, and leaves the input's reference count alone. Every
 * kind of buffer reaches the same verdict. The seeds are RFC 5769 §2 and RFC 8489 Appendix B vectors and
 * coturn's requests; see fuzz/README.md.
 */
class StunMessageCodecFuzzTest {

    @FuzzTest(maxDuration = "4s")
    void decode(byte[] bytes) {
        StunMessage reference = decodeOrNull(bytes);
        for (BufferKind kind : BufferKind.values()) {
            assertThat(StunMessageCodecProperties.decodeOrRefuse(bytes, kind)).as("decoded from %s", kind)
                    .isEqualTo(reference != null);
        }
        if (reference != null) {
            assertThat(decodeOrNull(bytes)).isEqualTo(reference);
        }
    }

    private static StunMessage decodeOrNull(byte[] bytes) {
        ByteBuf in = BufferKind.UNPOOLED_HEAP.copyOf(bytes);
        try {
            return StunMessageCodec.decode(in);
        } catch (StunCodecException e) {
            return null;
        } finally {
            in.release();
        }
    }
}
