package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The first byte tells what a datagram is, as RFC 7983 §7 and RFC 8656 §12 lay out the ranges. */
class PacketKindTest {

    @Test
    void everyFirstByteHasItsKind() {
        for (int first = 0; first < 256; first++) {
            ByteBuf one = Unpooled.wrappedBuffer(new byte[] {(byte) first});
            PacketKind expected = first <= 3 ? PacketKind.STUN
                    // 64-79 are TURN channels (RFC 7983); 80-127 begin the channels RFC 5766 allowed up to 0x7FFF.
                    : first >= 64 && first <= 127 ? PacketKind.CHANNEL_DATA
                    // ZRTP 16-19, DTLS 20-63, RTP/RTCP 128-191, and the reserved rest.
                    : PacketKind.OTHER;
            assertThat(PacketKind.of(one)).as("first byte %d", first).isEqualTo(expected);
            one.release();
        }
    }

    @Test
    void nothingToReadIsEmpty() {
        assertThat(PacketKind.of(Unpooled.EMPTY_BUFFER)).isEqualTo(PacketKind.EMPTY);
    }

    @Test
    void aSliceIsClassifiedInPlaceByItsReaderIndexAndNothingIsConsumed() {
        ByteBuf batch = Unpooled.wrappedBuffer(new byte[] {0x17, 0x00, 0x01, 0x40, 0x00, (byte) 0x80});

        assertThat(PacketKind.of(batch)).isEqualTo(PacketKind.OTHER);
        assertThat(PacketKind.of(batch.slice(1, 2))).isEqualTo(PacketKind.STUN);
        assertThat(PacketKind.of(batch.slice(3, 2))).isEqualTo(PacketKind.CHANNEL_DATA);
        assertThat(PacketKind.of(batch.readerIndex(5))).isEqualTo(PacketKind.OTHER);
        assertThat(PacketKind.of(batch.readerIndex(6))).isEqualTo(PacketKind.EMPTY);
        assertThat(batch.readerIndex()).isEqualTo(6);
        batch.release();
    }
}
