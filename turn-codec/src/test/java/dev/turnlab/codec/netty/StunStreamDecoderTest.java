package dev.turnlab.codec.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.codec.ChannelData;
import dev.turnlab.codec.ChannelDataCodec;
import dev.turnlab.codec.Method;
import dev.turnlab.testing.tools.RecordingAllocator;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunCodecException;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.Software;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StunStreamDecoderTest {

    private final RecordingAllocator alloc = new RecordingAllocator();
    private final CodecCounters counters = new CodecCounters();
    private final EmbeddedChannel channel = new EmbeddedChannel(new StunStreamDecoder(counters));

    StunStreamDecoderTest() {
        channel.config().setAllocator(alloc);
    }

    @AfterEach
    void nothingLeftNothingLeaked() {
        assertThat(channel.finish()).isFalse();
        alloc.assertAllReleased();
    }

    private final StunMessage request = StunMessage.request(Method.ALLOCATE).add(new Software("turnlab")).fingerprint().build();
    private final StunMessage indication = StunMessage.indication(Method.SEND).add(new Data(new byte[] {1, 2, 3})).build();

    /** STUN, ChannelData with 5 bytes of data and 3 of padding, STUN: 3 frames in one byte string. */
    private byte[] threeFrames() {
        ByteBuf out = alloc.buffer();
        StunMessageCodec.encode(request, out);
        ChannelDataCodec.writeHeader(0x4001, 5, out);
        out.writeBytes(new byte[] {10, 11, 12, 13, 14});
        out.writeBytes(new byte[] {(byte) 0xEE, (byte) 0xEE, (byte) 0xEE}); // padding need not be zero
        StunMessageCodec.encode(indication, out);
        byte[] bytes = ByteBufUtil.getBytes(out);
        out.release();
        return bytes;
    }

    private List<Object> readAll() {
        List<Object> messages = new ArrayList<>();
        for (Object m; (m = channel.readInbound()) != null; ) {
            messages.add(m);
        }
        return messages;
    }

    private void assertThreeFrames(List<Object> messages) {
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0)).isInstanceOf(StunMessage.class);
        assertThat(((StunMessage) messages.get(0)).transactionId()).isEqualTo(request.transactionId());
        ChannelData channelData = (ChannelData) messages.get(1);
        assertThat(channelData.channelNumber()).isEqualTo(0x4001);
        assertThat(ByteBufUtil.hexDump(channelData.content())).isEqualTo("0a0b0c0d0e");
        assertThat(messages.get(2)).isEqualTo(indication);
        assertThat(counters.decodedStun()).isEqualTo(2);
        assertThat(counters.decodedChannelData()).isEqualTo(1);
        channelData.release();
    }

    @Test
    void framesStunAndPaddedChannelDataInOneRead() {
        ByteBuf in = alloc.bytes(threeFrames());

        assertThat(channel.writeInbound(in)).isTrue();

        List<Object> messages = readAll();
        assertThat(((ChannelData) messages.get(1)).content().array()).as("zero copy").isSameAs(in.array());
        assertThreeFrames(messages);
    }

    @Test
    void framesTheSameWhenFedOneByteAtATime() {
        for (byte b : threeFrames()) {
            channel.writeInbound(alloc.bytes(new byte[] {b}));
        }
        assertThreeFrames(readAll());
    }

    @Test
    void waitsForTheRestOfAFrame() {
        byte[] bytes = threeFrames();
        int firstFrame = StunMessageCodec.HEADER_LENGTH + lengthField(bytes);

        assertThat(channel.writeInbound(alloc.bytes(Arrays.copyOf(bytes, firstFrame - 1)))).isFalse();
        assertThat(channel.writeInbound(alloc.bytes(Arrays.copyOfRange(bytes, firstFrame - 1, bytes.length)))).isTrue();

        assertThreeFrames(readAll());
    }

    private static int lengthField(byte[] stun) {
        return (stun[2] & 0xFF) << 8 | stun[3] & 0xFF;
    }

    @Test
    void passesOnAWellFramedButMalformedStunMessage() {
        // A Binding request with a 4-byte attribute whose length (8) overruns the message.
        ByteBuf in = alloc.hex("00010008" + "2112a442" + "0102030405060708090a0b0c" + "80220008" + "61626364");
        ChannelData after = new ChannelData(0x4000, alloc.hex("ff"));
        ChannelDataCodec.encode(after, in, true);
        after.release();

        channel.writeInbound(in);

        MalformedStunMessage malformed = channel.readInbound();
        assertThat(malformed.sender()).isNull();
        assertThat(malformed.recipient()).isNull();
        assertThat(malformed.error().method()).isEqualTo(Method.BINDING);
        assertThat(malformed.error().stunClass()).isEqualTo(StunClass.REQUEST);
        ChannelData next = channel.readInbound();
        assertThat(next.channelNumber()).as("the frame after it still decodes").isEqualTo(0x4000);
        next.release();
        assertThat(counters.malformedStun()).isEqualTo(1);
    }

    @Test
    void dropsAFrameWithAWrongFingerprintAndDecodesTheNext() {
        // RFC 8489 §7.3: a wrong FINGERPRINT means the message is silently discarded, not answered.
        ByteBuf in = alloc.hex("00010008" + "2112a442" + "0102030405060708090a0b0c" + "80280004" + "00000000");
        ChannelData after = new ChannelData(0x4000, alloc.hex("ff"));
        ChannelDataCodec.encode(after, in, true);
        after.release();

        channel.writeInbound(in);

        ChannelData next = channel.readInbound();
        assertThat(next.channelNumber()).as("the frame after it still decodes").isEqualTo(0x4000);
        next.release();
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(counters.droppedMalformed()).isEqualTo(1);
        assertThat(counters.malformedStun()).isZero();
    }

    @Test
    void closesOnAFirstByteThatStartsNoFrame() {
        // First two bits 10: RTP or anything else, never STUN or ChannelData on a TURN stream.
        assertThatThrownBy(() -> channel.writeInbound(alloc.hex("80000000")))
                .isInstanceOf(StunCodecException.class)
                .hasMessage("neither STUN nor ChannelData: first byte 0x80");
        assertThat(counters.droppedMalformed()).isEqualTo(1);

        // Nothing after a broken frame can be trusted: it is discarded, without a second error.
        assertThat(channel.writeInbound(alloc.hex("40010000"))).isFalse();
        assertThat(counters.droppedMalformed()).isEqualTo(1);
    }

    @Test
    void decodesChannelDataOnAnRfc5766ChannelAndTheFramesAfterIt() {
        // RFC 5766 §11 clients bind channels up to 0x7FFF (first bits 01): such a frame is ChannelData
        // like any other, and the frames after it still decode; 3 bytes of data take 1 byte of padding.
        ByteBuf in = alloc.hex("50000003" + "aabbcc00").writeBytes(threeFrames());

        assertThat(channel.writeInbound(in)).isTrue();
        ChannelData rfc5766 = channel.readInbound();
        assertThat(rfc5766.channelNumber()).isEqualTo(0x5000);
        assertThat(ByteBufUtil.hexDump(rfc5766.content())).isEqualTo("aabbcc");
        rfc5766.release();

        List<Object> rest = readAll();
        assertThat(rest).hasSize(3);
        assertThat(((ChannelData) rest.get(1)).channelNumber()).isEqualTo(0x4001);
        ((ChannelData) rest.get(1)).release();
        assertThat(counters.decodedChannelData()).isEqualTo(2);
        assertThat(counters.droppedMalformed()).isZero();
    }

    @Test
    void framesTheLargestMessageInManyReads() {
        // 65528 bytes of DATA make 65532 bytes of attributes, the most a 16-bit, 4-aligned length allows.
        StunMessage largest = StunMessage.indication(Method.SEND).add(new Data(new byte[65528])).build();
        byte[] bytes = new Frames.Stun(largest).bytes(true);
        assertThat(bytes).hasSize(65552);
        assertThat(bytes.length).isLessThanOrEqualTo(StunStreamDecoder.MAX_FRAME_LENGTH);

        for (int at = 0; at < bytes.length; at += 1400) {
            channel.writeInbound(alloc.bytes(Arrays.copyOfRange(bytes, at, Math.min(at + 1400, bytes.length))));
        }

        assertThat(channel.<Object>readInbound()).isEqualTo(largest);
    }

    @Test
    void discardsAnIncompleteFrameWhenTheConnectionCloses() {
        channel.writeInbound(alloc.hex("400100080102"));
        assertThat(channel.inboundMessages()).isEmpty();
    }
}
