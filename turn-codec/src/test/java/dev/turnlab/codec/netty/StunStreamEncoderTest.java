package dev.turnlab.codec.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.ChannelData;
import dev.turnlab.codec.Method;
import dev.turnlab.testing.tools.RecordingAllocator;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.Lifetime;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StunStreamEncoderTest {

    private final RecordingAllocator alloc = new RecordingAllocator();
    private final EmbeddedChannel channel = new EmbeddedChannel(new StunStreamEncoder());

    StunStreamEncoderTest() {
        channel.config().setAllocator(alloc);
    }

    @AfterEach
    void nothingLeftNothingLeaked() {
        assertThat(channel.finish()).isFalse();
        alloc.assertAllReleased();
    }

    @Test
    void encodesStunAsTheCodecDoes() {
        StunMessage message = StunMessage.request(Method.REFRESH).add(Lifetime.ofSeconds(600)).fingerprint().build();

        channel.writeOutbound(message);

        ByteBuf out = channel.readOutbound();
        ByteBuf expected = StunMessageCodec.encode(message, alloc);
        assertThat(ByteBufUtil.equals(out, expected)).isTrue();
        out.release();
        expected.release();
    }

    @Test
    void padsChannelDataToAMultipleOfFour() {
        // RFC 8656 §12.5: over TCP and TLS the ChannelData message MUST be padded.
        ChannelData odd = new ChannelData(0x4001, alloc.hex("0102030405"));
        ChannelData even = new ChannelData(0x4002, alloc.hex("0102030405060708"));

        channel.writeOutbound(odd, even);

        ByteBuf first = channel.readOutbound();
        ByteBuf second = channel.readOutbound();
        assertThat(ByteBufUtil.hexDump(first)).isEqualTo("40010005" + "0102030405" + "000000");
        assertThat(ByteBufUtil.hexDump(second)).isEqualTo("40020008" + "0102030405060708");
        assertThat(odd.refCnt()).isZero();
        assertThat(even.refCnt()).isZero();
        first.release();
        second.release();
    }

    @Test
    void passesOtherMessagesThrough() {
        ByteBuf raw = alloc.hex("00");

        channel.writeOutbound("text", raw);

        assertThat(channel.<Object>readOutbound()).isEqualTo("text");
        assertThat(channel.<Object>readOutbound()).isSameAs(raw);
        raw.release();
    }

    @Test
    void whatTheEncoderWritesTheDecoderReads() {
        EmbeddedChannel receiver = new EmbeddedChannel(new StunStreamDecoder());
        receiver.config().setAllocator(alloc);
        StunMessage message = StunMessage.indication(Method.DATA).fingerprint().build();

        channel.writeOutbound(new ChannelData(0x4FFF, alloc.hex("aa")), message, new ChannelData(0x4000, alloc.hex("")));
        for (Object bytes; (bytes = channel.readOutbound()) != null; ) {
            receiver.writeInbound(bytes);
        }

        ChannelData first = receiver.readInbound();
        StunMessage second = receiver.readInbound();
        ChannelData third = receiver.readInbound();
        assertThat(first.channelNumber()).isEqualTo(0x4FFF);
        assertThat(ByteBufUtil.hexDump(first.content())).isEqualTo("aa");
        assertThat(second.transactionId()).isEqualTo(message.transactionId());
        assertThat(second.hasFingerprint()).isTrue();
        assertThat(third.content().readableBytes()).isZero();
        first.release();
        third.release();
        assertThat(receiver.finish()).isFalse();
    }
}
