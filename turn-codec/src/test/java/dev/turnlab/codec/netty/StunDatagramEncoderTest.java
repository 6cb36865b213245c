package dev.turnlab.codec.netty;

import static dev.turnlab.codec.netty.StunDatagramDecoderTest.LOCAL;
import static dev.turnlab.codec.netty.StunDatagramDecoderTest.REMOTE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.ChannelData;
import dev.turnlab.codec.Method;
import dev.turnlab.testing.tools.RecordingAllocator;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.ErrorCode;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StunDatagramEncoderTest {

    private final RecordingAllocator alloc = new RecordingAllocator();
    private final EmbeddedChannel channel = new EmbeddedChannel(new StunDatagramEncoder());

    StunDatagramEncoderTest() {
        channel.config().setAllocator(alloc);
    }

    @AfterEach
    void nothingLeftNothingLeaked() {
        assertThat(channel.finish()).isFalse();
        alloc.assertAllReleased();
    }

    @Test
    void encodesStunToTheEnvelopesRecipient() {
        StunMessage request = StunMessage.request(Method.ALLOCATE).build();
        StunMessage response = StunMessage.errorResponse(request, ErrorCode.valueOf(401)).fingerprint().build();

        assertThat(channel.writeOutbound(new DefaultAddressedEnvelope<>(response, REMOTE, LOCAL))).isTrue();

        DatagramPacket packet = channel.readOutbound();
        assertThat(packet.recipient()).isEqualTo(REMOTE);
        assertThat(packet.sender()).isEqualTo(LOCAL);
        StunMessage decoded = StunMessageCodec.decode(packet.content());
        assertThat(decoded.transactionId()).isEqualTo(request.transactionId());
        assertThat(decoded.get(ErrorCode.class).code()).isEqualTo(401);
        packet.release();
    }

    @Test
    void encodesChannelDataUnpaddedAndReleasesIt() {
        ChannelData message = new ChannelData(0x4001, alloc.hex("0102030405"));

        channel.writeOutbound(new DefaultAddressedEnvelope<>(message, REMOTE));

        DatagramPacket packet = channel.readOutbound();
        assertThat(packet.recipient()).isEqualTo(REMOTE);
        assertThat(packet.sender()).isNull();
        assertThat(ByteBufUtil.hexDump(packet.content())).isEqualTo("40010005" + "0102030405");
        assertThat(message.refCnt()).isZero();
        packet.release();
    }

    @Test
    void passesOtherMessagesThroughUntouched() {
        DatagramPacket dtls = new DatagramPacket(alloc.hex("16fefd"), REMOTE);
        AddressedEnvelope<String, InetSocketAddress> text = new DefaultAddressedEnvelope<>("hello", REMOTE);

        channel.writeOutbound(dtls, text, "plain");

        assertThat(channel.<Object>readOutbound()).isSameAs(dtls);
        assertThat(channel.<Object>readOutbound()).isSameAs(text);
        assertThat(channel.<Object>readOutbound()).isEqualTo("plain");
        assertThat(dtls.refCnt()).isEqualTo(1);
        dtls.release();
    }

    @Test
    void whatTheEncoderSendsTheDecoderReads() {
        CodecCounters counters = new CodecCounters();
        EmbeddedChannel receiver = new EmbeddedChannel(new StunDatagramDecoder(counters));
        StunMessage indication = StunMessage.indication(Method.BINDING).build();

        channel.writeOutbound(new DefaultAddressedEnvelope<>(indication, REMOTE, LOCAL),
                new DefaultAddressedEnvelope<>(new ChannelData(0x4ABC, alloc.hex("cafe")), REMOTE, LOCAL));
        receiver.writeInbound(channel.<Object>readOutbound(), channel.<Object>readOutbound());

        AddressedEnvelope<?, ?> first = receiver.readInbound();
        AddressedEnvelope<?, ?> second = receiver.readInbound();
        assertThat(first.content()).isEqualTo(indication);
        assertThat(first.sender()).isEqualTo(LOCAL);
        ChannelData expected = new ChannelData(0x4ABC, alloc.hex("cafe"));
        assertThat(second.content()).isEqualTo(expected);
        assertThat(second.sender()).isEqualTo(LOCAL);
        assertThat(counters.decodedStun() + counters.decodedChannelData()).isEqualTo(2);
        expected.release();
        second.release();
        assertThat(receiver.finish()).isFalse();
    }
}
