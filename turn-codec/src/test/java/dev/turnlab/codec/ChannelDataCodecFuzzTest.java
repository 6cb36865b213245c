package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.testing.tools.RecordingAllocator;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of {@link ChannelDataCodec} (RFC 8656 §12.4, §12.5): any bytes give ChannelData
 * whose channel number and data are the bytes' own, whose encoding is those bytes again and whose frame length
 * on a stream is header, data and padding; or one {@link StunCodecException} that leaves the reader index where
 * it was. The decoded data is a slice of the input: releasing both frees every buffer.
 */
class ChannelDataCodecFuzzTest {

    @FuzzTest(maxDuration = "4s")
    void decode(byte[] bytes) {
        RecordingAllocator alloc = new RecordingAllocator();
        ByteBuf in = alloc.bytes(bytes);
        ChannelData decoded = null;
        try {
            decoded = ChannelDataCodec.decode(in);
        } catch (StunCodecException e) {
            assertThat(e.getMessage()).isNotBlank();
            assertThat(in.readerIndex()).isZero();
            assertThat(e.hasHeader()).isFalse();
        }
        if (decoded != null) {
            int length = in.getUnsignedShort(2);
            assertThat(decoded.channelNumber()).isEqualTo(in.getUnsignedShort(0)).isBetween(0x4000, 0x7FFF);
            assertThat(in.readerIndex()).isEqualTo(ChannelDataCodec.HEADER_LENGTH + length);
            assertThat(ByteBufUtil.getBytes(decoded.content())).isEqualTo(Arrays.copyOfRange(bytes, 4, 4 + length));
            in.readerIndex(0);
            assertThat(ChannelDataCodec.frameLength(in)).isEqualTo(4 + length + ChannelDataCodec.padding(length));
            ByteBuf encoded = ChannelDataCodec.encode(decoded, alloc, false);
            assertThat(ByteBufUtil.getBytes(encoded)).isEqualTo(Arrays.copyOf(bytes, 4 + length));
            encoded.release();
            decoded.release();
        }
        assertThat(in.refCnt()).isEqualTo(1);
        in.release();
        alloc.assertAllReleased();
    }
}
