package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.testing.tools.RecordingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChannelDataCodecTest {

    private final RecordingAllocator alloc = new RecordingAllocator();

    @AfterEach
    void everyBufferReleased() {
        alloc.assertAllReleased();
    }

    @Test
    void firstByteOf64To127IsChannelData() {
        // RFC 7983 §7: 64-79 is TURN ChannelData (80-127 for RFC 5766 channels); 0-3 STUN, 20-63 DTLS, 128-191 RTP/RTCP.
        for (int first = 0; first < 256; first++) {
            ByteBuf buf = alloc.bytes(new byte[] {(byte) first, 0, 0, 0});
            assertThat(ChannelDataCodec.isChannelData(buf)).as("first byte %d", first).isEqualTo(first >= 64 && first <= 127);
            assertThat(buf.readerIndex()).isZero();
            buf.release();
        }
        ByteBuf empty = alloc.buffer(0);
        assertThat(ChannelDataCodec.isChannelData(empty)).isFalse();
        empty.release();
    }

    @Test
    void decodesChannelNumberAndDataWithoutCopying() {
        // RFC 8656 §12.4: channel number, length of the data, the data.
        ByteBuf in = alloc.hex("40010005" + "68656c6c6f");
        ChannelData message = ChannelDataCodec.decode(in);

        assertThat(message.channelNumber()).isEqualTo(0x4001);
        assertThat(ByteBufUtil.hexDump(message.content())).isEqualTo("68656c6c6f");
        assertThat(message.content().array()).isSameAs(in.array());
        assertThat(in.readerIndex()).isEqualTo(9);
        assertThat(in.refCnt()).as("the slice is retained, the input not released").isEqualTo(2);
        message.release();
        in.release();
    }

    @Test
    void leavesBytesAfterTheDataUnread() {
        // RFC 8656 §12.5: over UDP the message may be padded; the padding is not data.
        ByteBuf in = alloc.hex("4fff0001" + "aa" + "000000");
        ChannelData message = ChannelDataCodec.decode(in);

        assertThat(message.channelNumber()).isEqualTo(0x4FFF);
        assertThat(ByteBufUtil.hexDump(message.content())).isEqualTo("aa");
        assertThat(in.readableBytes()).isEqualTo(3);
        message.release();
        in.release();
    }

    @Test
    void decodesEmptyData() {
        ByteBuf in = alloc.hex("40000000");
        ChannelData message = ChannelDataCodec.decode(in);
        assertThat(message.content().readableBytes()).isZero();
        message.release();
        in.release();
    }

    @Test
    void refusesATruncatedHeader() {
        expectError("400100", "truncated ChannelData header: 3 bytes (expected: at least 4)");
    }

    @Test
    void refusesALengthBeyondTheBytes() {
        expectError("40010006" + "68656c6c6f", "bad ChannelData length: header says 6 bytes of data, 5 present");
    }

    @Test
    void refusesChannelNumbersOutsideTheBindableRange() {
        // RFC 8656 §12 binds 0x4000-0x4FFF, RFC 5766 §11 bound up to 0x7FFF; nothing else is a channel.
        expectError("80000000", "channel number 0x8000 outside 0x4000-0x7FFF");
        expectError("3fff0000", "channel number 0x3FFF outside 0x4000-0x7FFF");
        ByteBuf rfc5766 = alloc.hex("7ffe0001ff");
        ChannelData message = ChannelDataCodec.decode(rfc5766);
        assertThat(message.channelNumber()).isEqualTo(0x7FFE);
        message.release();
        rfc5766.release();
    }

    private void expectError(String hex, String reason) {
        ByteBuf in = alloc.hex(hex);
        assertThatThrownBy(() -> ChannelDataCodec.decode(in))
                .isInstanceOf(StunCodecException.class)
                .hasMessage(reason)
                .satisfies(e -> assertThat(((StunCodecException) e).hasHeader()).isFalse());
        assertThat(in.readerIndex()).isZero();
        assertThat(in.refCnt()).isEqualTo(1);
        in.release();
    }

    @Test
    void encodesWithAndWithoutPadding() {
        ChannelData message = new ChannelData(0x4002, alloc.hex("0102030405"));

        ByteBuf udp = ChannelDataCodec.encode(message, alloc, false);
        ByteBuf tcp = ChannelDataCodec.encode(message, alloc, true);

        assertThat(ByteBufUtil.hexDump(udp)).isEqualTo("40020005" + "0102030405");
        assertThat(ByteBufUtil.hexDump(tcp)).isEqualTo("40020005" + "0102030405" + "000000");
        assertThat(message.refCnt()).as("encode does not release its input").isEqualTo(1);
        assertThat(message.content().readerIndex()).as("nor consume it").isZero();
        udp.release();
        tcp.release();
        message.release();
    }

    @Test
    void paddingBringsLengthsToAMultipleOfFour() {
        assertThat(ChannelDataCodec.padding(0)).isZero();
        assertThat(ChannelDataCodec.padding(1)).isEqualTo(3);
        assertThat(ChannelDataCodec.padding(2)).isEqualTo(2);
        assertThat(ChannelDataCodec.padding(3)).isEqualTo(1);
        assertThat(ChannelDataCodec.padding(4)).isZero();
        assertThat(ChannelDataCodec.padding(0xFFFF)).isEqualTo(1);
    }

    @Test
    void writesTheHeader() {
        ByteBuf out = alloc.buffer();
        ChannelDataCodec.writeHeader(0x4ABC, 1200, out);
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("4abc04b0");
        assertThatThrownBy(() -> ChannelDataCodec.writeHeader(0x8000, 1, out)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChannelDataCodec.writeHeader(0x4000, 0x10000, out)).isInstanceOf(IllegalArgumentException.class);
        out.release();
    }

    @Test
    void frameLengthOnAStreamIncludesPadding() {
        ByteBuf partial = alloc.hex("400100");
        ByteBuf odd = alloc.hex("40010005");
        ByteBuf even = alloc.hex("40010008");
        ByteBuf bad = alloc.hex("80000000");

        assertThat(ChannelDataCodec.frameLength(partial)).isEqualTo(-1);
        assertThat(ChannelDataCodec.frameLength(odd)).isEqualTo(12);
        assertThat(ChannelDataCodec.frameLength(even)).isEqualTo(12);
        assertThatThrownBy(() -> ChannelDataCodec.frameLength(bad))
                .isInstanceOf(StunCodecException.class)
                .hasMessage("channel number 0x8000 outside 0x4000-0x7FFF");
        assertThat(odd.readerIndex()).isZero();
        partial.release();
        odd.release();
        even.release();
        bad.release();
    }
}
