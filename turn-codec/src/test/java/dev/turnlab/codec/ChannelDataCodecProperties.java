package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.testing.tools.RecordingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ChannelDataCodecProperties {

    @Property(tries = 300)
    void decodeAfterEncodeGivesTheMessageBack(@ForAll @IntRange(min = 0x4000, max = 0x7FFF) int channelNumber,
            @ForAll @Size(max = 1500) byte[] data, @ForAll boolean padToFour) {
        RecordingAllocator alloc = new RecordingAllocator();
        ChannelData message = new ChannelData(channelNumber, alloc.bytes(data));

        ByteBuf wire = ChannelDataCodec.encode(message, alloc, padToFour);
        int frameLength = ChannelDataCodec.frameLength(wire);
        ChannelData decoded = ChannelDataCodec.decode(wire);

        assertThat(decoded).isEqualTo(message);
        assertThat(wire.readableBytes()).isEqualTo(padToFour ? ChannelDataCodec.padding(data.length) : 0);
        assertThat(frameLength % 4).isZero();
        assertThat(frameLength).isEqualTo(ChannelDataCodec.HEADER_LENGTH + data.length + ChannelDataCodec.padding(data.length));
        message.release();
        decoded.release();
        wire.release();
        alloc.assertAllReleased();
    }

    @Property(tries = 500)
    void anyBytesDecodeOrRaiseTheCodecException(@ForAll @Size(max = 40) byte[] bytes) {
        RecordingAllocator alloc = new RecordingAllocator();
        ByteBuf in = alloc.bytes(bytes);
        try {
            ChannelData decoded = ChannelDataCodec.decode(in);
            assertThat(ByteBufUtil.getBytes(decoded.content())).hasSize(in.readerIndex() - ChannelDataCodec.HEADER_LENGTH);
            decoded.release();
        } catch (StunCodecException e) {
            assertThat(in.readerIndex()).isZero();
        }
        assertThat(in.refCnt()).isEqualTo(1);
        in.release();
        alloc.assertAllReleased();
    }
}
