package dev.turnlab.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.ChannelData;
import dev.turnlab.codec.ChannelDataCodec;
import dev.turnlab.codec.IndicationHeader;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.XorPeerAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FramesTest {

    private static final InetSocketAddress PEER_V4 = new InetSocketAddress("192.0.2.1", 32853);
    private static final InetSocketAddress PEER_V6 = new InetSocketAddress("2001:db8::1", 32853);

    @ParameterizedTest
    @ValueSource(ints = {16, 17, 18, 19, 20, 160, 1001})
    void theGeneratorsSendIndicationDecodesAsOneWithThePeerAndTheProbe(int payload) {
        for (InetSocketAddress peer : new InetSocketAddress[] {PEER_V4, PEER_V6}) {
            IndicationHeader header = IndicationHeader.send(peer);
            ByteBuf buf = Unpooled.buffer();
            header.writeHeader(payload, buf);
            Probe.write(buf, 7, 123456789L, payload);
            buf.writeZero(IndicationHeader.padding(payload));
            try {
                assertThat(buf.readableBytes()).isEqualTo(header.indicationLength(payload));
                StunMessage message = StunMessageCodec.decode(buf.duplicate());
                assertThat(message.method()).isEqualTo(Method.SEND);
                assertThat(message.stunClass()).isEqualTo(StunClass.INDICATION);
                assertThat(message.get(XorPeerAddress.class).address()).isEqualTo(peer);
                ByteBuf data = Unpooled.wrappedBuffer(message.get(Data.class).value());
                assertThat(data.readableBytes()).isEqualTo(payload);
                assertThat(Probe.sequence(data, 0)).isEqualTo(7);
                assertThat(Probe.sentNanos(data, 0)).isEqualTo(123456789L);
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void theDataOfADataIndicationIsFoundWithoutDecodingIt() {
        byte[] value = new byte[21];
        value[0] = 42;
        StunMessage indication = StunMessage.indication(Method.DATA)
                .add(new XorPeerAddress(PEER_V6), new Data(value)).fingerprint().build();
        ByteBuf buf = StunMessageCodec.encode(indication, UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(Frames.isDataIndication(buf)).isTrue();
            assertThat(ChannelDataCodec.isChannelData(buf)).isFalse();
            int at = Frames.dataIndicationPayload(buf);
            assertThat(buf.getUnsignedShort(at - 2)).isEqualTo(21);
            assertThat(buf.getByte(at)).isEqualTo((byte) 42);
        } finally {
            buf.release();
        }
    }

    @Test
    void aDataIndicationWithoutDataHasNoPayload() {
        StunMessage indication = StunMessage.indication(Method.DATA).add(new XorPeerAddress(PEER_V4)).build();
        ByteBuf buf = StunMessageCodec.encode(indication, UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(Frames.dataIndicationPayload(buf)).isEqualTo(-1);
        } finally {
            buf.release();
        }
    }

    @Test
    void theProbesChannelDataIsFoundInPlaceAndItsLengthIsPaddedOnlyOnStreams() {
        // RFC 8656 §12.4: 0x4000, length 5, then the data; §12.5: padded to 8 bytes over TCP.
        ChannelData message = new ChannelData(0x4000, Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5}));
        ByteBuf buf = ChannelDataCodec.encode(message, UnpooledByteBufAllocator.DEFAULT, true);
        try {
            assertThat(ByteBufUtil.hexDump(buf)).isEqualTo("400000050102030405000000");
            assertThat(buf.readableBytes()).isEqualTo(Frames.channelDataLength(5, true));
            assertThat(Frames.channelDataLength(5, false)).isEqualTo(9);
            assertThat(Frames.channelDataLength(8, true)).isEqualTo(12);
            assertThat(Frames.channelDataPayload(buf)).isEqualTo(4);
            assertThat(Frames.channelDataPayloadLength(buf)).isEqualTo(5);
            assertThat(Frames.isDataIndication(buf)).isFalse();
        } finally {
            buf.release();
            message.release();
        }
    }

    @Test
    void aChannelDataLengthBeyondTheBytesIsRefused() {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {0x40, 0x00, 0x00, 0x09, 1, 2, 3});
        try {
            assertThat(Frames.channelDataPayload(buf)).isEqualTo(-1);
            assertThat(Frames.channelDataPayload(buf.slice(0, 3))).isEqualTo(-1);
        } finally {
            buf.release();
        }
    }
}
