package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.testing.tools.RecordingAllocator;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChannelDataTest {

    private final RecordingAllocator alloc = new RecordingAllocator();

    @AfterEach
    void everyBufferReleased() {
        alloc.assertAllReleased();
    }

    @Test
    void ownsItsData() {
        ByteBuf data = alloc.hex("cafe");
        ChannelData message = new ChannelData(0x4000, data);

        assertThat(message.content()).isSameAs(data);
        assertThat(message.release()).isTrue();
        assertThat(data.refCnt()).isZero();
    }

    @Test
    void holderOperationsKeepTheChannelNumber() {
        ChannelData message = new ChannelData(0x4123, alloc.hex("0102"));

        ChannelData retained = message.retain().touch("test");
        ChannelData copy = message.copy();
        ChannelData duplicate = message.retainedDuplicate();
        ChannelData replaced = message.replace(alloc.hex("03"));

        assertThat(retained).isSameAs(message);
        assertThat(copy).isEqualTo(message).isNotSameAs(message);
        assertThat(copy.content().array()).isNotSameAs(message.content().array());
        assertThat(duplicate.channelNumber()).isEqualTo(0x4123);
        assertThat(replaced.channelNumber()).isEqualTo(0x4123);
        assertThat(replaced).isNotEqualTo(message);
        assertThat(message.refCnt()).isEqualTo(3);
        copy.release();
        replaced.release();
        duplicate.release();
        message.release(2);
    }

    @Test
    void equalityIsChannelAndBytes() {
        ChannelData a = new ChannelData(0x4001, alloc.hex("abcd"));
        ChannelData b = new ChannelData(0x4001, alloc.hex("ffabcd").skipBytes(1));
        ChannelData otherChannel = new ChannelData(0x4002, alloc.hex("abcd"));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(otherChannel);
        a.release();
        b.release();
        otherChannel.release();
    }

    @Test
    void toStringShowsNoData() {
        ChannelData message = new ChannelData(0x4abc, alloc.hex("73656372657421"));
        assertThat(message).hasToString("ChannelData(0x4ABC, 7 bytes)");
        message.release();
        assertThat(message).hasToString("ChannelData(0x4ABC, released)");
    }

    @Test
    void refusesABadChannelNumberWithoutTakingTheData() {
        ByteBuf data = alloc.hex("00");
        assertThatThrownBy(() -> new ChannelData(0x8000, data))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("channelNumber: 0x8000 (expected: 0x4000-0x7FFF)");
        assertThat(data.refCnt()).isEqualTo(1);
        data.release();
    }

    @Test
    void refusesMoreDataThanTheLengthFieldHolds() {
        ByteBuf data = alloc.buffer(0x10000).writeZero(0x10000);
        assertThatThrownBy(() -> new ChannelData(0x4000, data)).isInstanceOf(IllegalArgumentException.class);
        data.release();
    }
}
