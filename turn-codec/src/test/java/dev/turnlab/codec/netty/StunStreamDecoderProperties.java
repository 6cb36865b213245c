package dev.turnlab.codec.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.testing.tools.RecordingAllocator;
import dev.turnlab.codec.StunCodecException;
import dev.turnlab.codec.netty.Frames.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;

class StunStreamDecoderProperties {

    @Provide
    Arbitrary<List<Frame>> frameSequences() {
        return Frames.frames().list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<Integer>> chunkSizes() {
        // Small sizes dominate, so frames are often split inside headers and length fields.
        return Arbitraries.integers().between(1, 80).withDistribution(RandomDistribution.biased())
                .list().ofMinSize(1).ofMaxSize(16);
    }

    @Provide
    Arbitrary<byte[]> junk() {
        return Frames.junk(0xFFF);
    }

    @Property(tries = 300)
    void framingDoesNotDependOnReadBoundaries(@ForAll("frameSequences") List<Frame> frames,
            @ForAll("chunkSizes") List<Integer> chunkSizes) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<Object> expected = new ArrayList<>();
        for (Frame frame : frames) {
            stream.writeBytes(frame.bytes(true));
            expected.add(frame.expected());
        }
        RecordingAllocator alloc = new RecordingAllocator();
        EmbeddedChannel channel = new EmbeddedChannel(new StunStreamDecoder());
        channel.config().setAllocator(alloc);

        for (ByteBuf chunk : chunks(alloc, stream.toByteArray(), chunkSizes)) {
            channel.writeInbound(chunk);
        }

        assertThat(decoded(channel)).isEqualTo(expected);
        assertThat(channel.finish()).isFalse();
        alloc.assertAllReleased();
    }

    @Property(tries = 200)
    void whatTheEncoderWritesTheDecoderReadsWhateverTheChunks(@ForAll("frameSequences") List<Frame> frames,
            @ForAll("chunkSizes") List<Integer> chunkSizes) {
        RecordingAllocator alloc = new RecordingAllocator();
        EmbeddedChannel sender = new EmbeddedChannel(new StunStreamEncoder());
        EmbeddedChannel receiver = new EmbeddedChannel(new StunStreamDecoder());
        sender.config().setAllocator(alloc);
        receiver.config().setAllocator(alloc);
        List<Object> expected = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (Frame frame : frames) {
            sender.writeOutbound(frame.toMessage(alloc));
            expected.add(frame.expected());
        }
        for (ByteBuf bytes; (bytes = sender.readOutbound()) != null; bytes.release()) {
            stream.writeBytes(ByteBufUtil.getBytes(bytes));
        }

        for (ByteBuf chunk : chunks(alloc, stream.toByteArray(), chunkSizes)) {
            receiver.writeInbound(chunk);
        }

        assertThat(decoded(receiver)).isEqualTo(expected);
        assertThat(sender.finish()).isFalse();
        assertThat(receiver.finish()).isFalse();
        alloc.assertAllReleased();
    }

    @Property(tries = 500)
    void junkGivesMessagesOrTheCodecExceptionAndLeaksNothing(@ForAll("junk") byte[] junk,
            @ForAll("chunkSizes") List<Integer> chunkSizes) {
        RecordingAllocator alloc = new RecordingAllocator();
        CodecCounters counters = new CodecCounters();
        EmbeddedChannel channel = new EmbeddedChannel(new StunStreamDecoder(counters));
        channel.config().setAllocator(alloc);
        int errors = 0;

        for (ByteBuf chunk : chunks(alloc, junk, chunkSizes)) {
            try {
                channel.writeInbound(chunk);
            } catch (StunCodecException e) {
                errors++;
            }
        }

        assertThat(errors).as("a broken stream raises one error, then is discarded").isLessThanOrEqualTo(1);
        // Dropped: the broken stream, if any, and frames RFC 8489 §7.3 discards silently (wrong FINGERPRINT...).
        assertThat(counters.droppedMalformed()).isGreaterThanOrEqualTo(errors);
        List<Object> decoded = decoded(channel);
        assertThat(decoded).hasSize((int) (counters.decodedStun() + counters.decodedChannelData() + counters.malformedStun()));
        channel.finish();
        channel.releaseInbound();
        alloc.assertAllReleased();
    }

    static List<ByteBuf> chunks(RecordingAllocator alloc, byte[] bytes, List<Integer> sizes) {
        List<ByteBuf> chunks = new ArrayList<>();
        for (int at = 0, i = 0; at < bytes.length; i++) {
            int size = Math.min(sizes.get(i % sizes.size()), bytes.length - at);
            chunks.add(alloc.heapBuffer(size).writeBytes(bytes, at, size));
            at += size;
        }
        return chunks;
    }

    private static List<Object> decoded(EmbeddedChannel channel) {
        List<Object> values = new ArrayList<>();
        for (Object m; (m = channel.readInbound()) != null; ) {
            values.add(Frames.valueOf(m));
        }
        return values;
    }
}
