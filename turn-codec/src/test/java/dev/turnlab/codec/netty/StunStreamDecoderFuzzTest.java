package dev.turnlab.codec.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.turnlab.testing.tools.RecordingAllocator;
import dev.turnlab.codec.StunCodecException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link StunStreamDecoder} and its framing (RFC 8489 §6.2.2, RFC 8656 §12.5): a
 * stream of any bytes, read in chunks of any sizes, gives STUN messages, ChannelData and malformed requests to
 * answer, with at most one {@link StunCodecException} (the stream is broken and the rest discarded) and nothing
 * else thrown; the same bytes read in one piece give the same frames; every buffer is released in the end.
 */
class StunStreamDecoderFuzzTest {

    @FuzzTest(maxDuration = "4s")
    void stream(FuzzedDataProvider data) {
        List<Integer> chunkSizes = new ArrayList<>();
        for (int i = data.consumeInt(1, 8); i > 0; i--) {
            chunkSizes.add(data.consumeInt(1, 300));
        }
        byte[] stream = data.consumeRemainingAsBytes();

        Reading inChunks = read(stream, chunkSizes);
        Reading whole = read(stream, List.of(Math.max(1, stream.length)));

        assertThat(inChunks.frames()).isEqualTo(whole.frames());
        assertThat(inChunks.broken()).isEqualTo(whole.broken());
    }

    /** What a decoder makes of {@code stream} read in chunks of {@code chunkSizes}, in turn. */
    private static Reading read(byte[] stream, List<Integer> chunkSizes) {
        RecordingAllocator alloc = new RecordingAllocator();
        CodecCounters counters = new CodecCounters();
        EmbeddedChannel channel = new EmbeddedChannel(new StunStreamDecoder(counters));
        channel.config().setAllocator(alloc);
        int errors = 0;
        for (ByteBuf chunk : StunStreamDecoderProperties.chunks(alloc, stream, chunkSizes)) {
            try {
                channel.writeInbound(chunk);
            } catch (StunCodecException e) {
                errors++;
            }
        }
        assertThat(errors).as("a broken stream raises one error, then is discarded").isLessThanOrEqualTo(1);
        List<Object> frames = new ArrayList<>();
        for (Object m; (m = channel.readInbound()) != null; ) {
            frames.add(m instanceof MalformedStunMessage malformed ? malformed.error().getMessage() : Frames.valueOf(m));
        }
        assertThat(frames).hasSize((int) (counters.decodedStun() + counters.decodedChannelData()
                + counters.malformedStun()));
        channel.finish();
        channel.releaseInbound();
        alloc.assertAllReleased();
        return new Reading(frames, errors == 1);
    }

    private record Reading(List<Object> frames, boolean broken) {
    }
}
