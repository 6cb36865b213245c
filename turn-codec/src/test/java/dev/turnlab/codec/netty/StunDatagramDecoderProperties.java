package dev.turnlab.codec.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.testing.tools.RecordingAllocator;
import dev.turnlab.codec.netty.Frames.Frame;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

class StunDatagramDecoderProperties {

    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 3478);
    static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.3", 40000);

    @Provide
    Arbitrary<byte[]> junk() {
        return Frames.junk(0x0FF);
    }

    @Provide
    Arbitrary<Frame> frames() {
        return Frames.frames(0x0FF);
    }

    @Property(tries = 1000)
    void anyDatagramGivesOneOutcomeAndLeaksNothing(@ForAll("junk") byte[] junk) {
        RecordingAllocator alloc = new RecordingAllocator();
        CodecCounters counters = new CodecCounters();
        EmbeddedChannel channel = new EmbeddedChannel(new StunDatagramDecoder(counters));

        channel.writeInbound(new DatagramPacket(alloc.bytes(junk), LOCAL, REMOTE));

        Object out = channel.readInbound();
        long outcomes = counters.decodedStun() + counters.decodedChannelData() + counters.passedOn()
                + counters.malformedStun() + counters.droppedMalformed();
        assertThat(outcomes).isEqualTo(1);
        Statistics.collect(out == null ? "dropped" : out.getClass().getSimpleName());
        if (counters.droppedMalformed() == 1) {
            assertThat(out).isNull();
        } else if (counters.passedOn() == 1) {
            assertThat(out).isInstanceOf(DatagramPacket.class);
        } else if (counters.malformedStun() == 1) {
            assertThat(out).isInstanceOf(MalformedStunMessage.class);
        } else {
            assertThat(out).isInstanceOf(AddressedEnvelope.class);
            assertThat(((AddressedEnvelope<?, ?>) out).sender()).isEqualTo(REMOTE);
        }
        ReferenceCountUtil.release(out);
        assertThat(channel.finish()).isFalse();
        alloc.assertAllReleased();
    }

    @Property(tries = 300)
    void whatTheEncoderSendsTheDecoderReads(@ForAll("frames") Frame frame) {
        RecordingAllocator alloc = new RecordingAllocator();
        EmbeddedChannel sender = new EmbeddedChannel(new StunDatagramEncoder());
        EmbeddedChannel receiver = new EmbeddedChannel(new StunDatagramDecoder());
        sender.config().setAllocator(alloc);
        sender.writeOutbound(new DefaultAddressedEnvelope<>(frame.toMessage(alloc), LOCAL, REMOTE));
        receiver.writeInbound(sender.<Object>readOutbound());

        AddressedEnvelope<?, ?> received = receiver.readInbound();
        assertThat(received.sender()).isEqualTo(REMOTE);
        assertThat(received.recipient()).isEqualTo(LOCAL);
        assertThat(Frames.valueOf(received.content())).isEqualTo(frame.expected());
        assertThat(sender.finish()).isFalse();
        assertThat(receiver.finish()).isFalse();
        alloc.assertAllReleased();
    }
}
