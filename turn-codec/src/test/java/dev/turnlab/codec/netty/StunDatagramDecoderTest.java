package dev.turnlab.codec.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.ChannelData;
import dev.turnlab.codec.Method;
import dev.turnlab.testing.tools.RecordingAllocator;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.TransactionId;
import dev.turnlab.codec.attribute.Software;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StunDatagramDecoderTest {

    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 3478);
    static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.2", 50000);

    private final RecordingAllocator alloc = new RecordingAllocator();
    private final CodecCounters counters = new CodecCounters();
    private final EmbeddedChannel channel = new EmbeddedChannel(new StunDatagramDecoder(counters));

    @AfterEach
    void nothingLeftNothingLeaked() {
        assertThat(channel.finish()).isFalse();
        alloc.assertAllReleased();
    }

    private DatagramPacket packet(ByteBuf content) {
        return new DatagramPacket(content, LOCAL, REMOTE);
    }

    private DatagramPacket packet(String hex) {
        return packet(alloc.hex(hex));
    }

    @Test
    void decodesStunIntoAnEnvelopeFromTheRemotePeer() {
        StunMessage request = StunMessage.request(Method.BINDING).add(new Software("turnlab")).fingerprint().build();
        ByteBuf bytes = StunMessageCodec.encode(request, alloc);

        assertThat(channel.writeInbound(packet(bytes))).isTrue();

        AddressedEnvelope<?, ?> envelope = channel.readInbound();
        assertThat(envelope.sender()).isEqualTo(REMOTE);
        assertThat(envelope.recipient()).isEqualTo(LOCAL);
        StunMessage decoded = (StunMessage) envelope.content();
        assertThat(decoded.method()).isEqualTo(Method.BINDING);
        assertThat(decoded.stunClass()).isEqualTo(StunClass.REQUEST);
        assertThat(decoded.transactionId()).isEqualTo(request.transactionId());
        assertThat(decoded.get(Software.class)).isEqualTo(new Software("turnlab"));
        assertThat(decoded.hasFingerprint()).isTrue();
        assertThat(counters.decodedStun()).isEqualTo(1);
        assertThat(bytes.refCnt()).as("a STUN message keeps no buffer").isZero();
    }

    @Test
    void decodesChannelDataAsASliceOfTheDatagram() {
        ByteBuf bytes = alloc.hex("40010004" + "deadbeef");

        assertThat(channel.writeInbound(packet(bytes))).isTrue();

        AddressedEnvelope<?, ?> envelope = channel.readInbound();
        assertThat(envelope.sender()).isEqualTo(REMOTE);
        assertThat(envelope.recipient()).isEqualTo(LOCAL);
        ChannelData message = (ChannelData) envelope.content();
        assertThat(message.channelNumber()).isEqualTo(0x4001);
        assertThat(ByteBufUtil.hexDump(message.content())).isEqualTo("deadbeef");
        assertThat(message.content().array()).as("zero copy").isSameAs(bytes.array());
        assertThat(counters.decodedChannelData()).isEqualTo(1);
        assertThat(bytes.refCnt()).as("the datagram lives on in the slice").isEqualTo(1);
        envelope.release();
        assertThat(bytes.refCnt()).isZero();
    }

    @Test
    void acceptsPaddingAfterChannelDataOnUdp() {
        // RFC 8656 §12.5: over UDP padding is not required, but may be present.
        channel.writeInbound(packet("40020001" + "ff" + "000000"));

        AddressedEnvelope<?, ?> envelope = channel.readInbound();
        assertThat(ByteBufUtil.hexDump(((ChannelData) envelope.content()).content())).isEqualTo("ff");
        envelope.release();
    }

    @Test
    void passesOnDtlsRtpAndZrtpUnchanged() {
        // RFC 7983 §7: ZRTP 16-19, DTLS 20-63, RTP/RTCP 128-191; 192-255 are not ours either.
        String[] packets = {"16fefd0000", "14fefd", "3f00", "8000", "bf00", "1000", "c000", "ff00", "0400"};
        for (String hex : packets) {
            DatagramPacket packet = packet(hex);

            assertThat(channel.writeInbound(packet)).isTrue();

            DatagramPacket passed = channel.readInbound();
            assertThat(passed).as(hex).isSameAs(packet);
            assertThat(passed.refCnt()).isEqualTo(1);
            assertThat(passed.content().readerIndex()).isZero();
            passed.release();
        }
        assertThat(counters.passedOn()).isEqualTo(packets.length);
    }

    @Test
    void passesOnMalformedStunWithAHeaderSoTheServerCanAnswer400() {
        // A Binding request whose XOR-MAPPED-ADDRESS has family 0x03, neither IPv4 nor IPv6.
        String tid = "0102030405060708090a0b0c";
        assertThat(channel.writeInbound(packet("0001000c" + "2112a442" + tid + "00200008" + "0003a14701020304"))).isTrue();

        MalformedStunMessage malformed = channel.readInbound();
        assertThat(malformed.sender()).isEqualTo(REMOTE);
        assertThat(malformed.recipient()).isEqualTo(LOCAL);
        assertThat(malformed.error().method()).isEqualTo(Method.BINDING);
        assertThat(malformed.error().stunClass()).isEqualTo(StunClass.REQUEST);
        assertThat(malformed.error().transactionId()).isEqualTo(TransactionId.ofHex(tid));
        assertThat(malformed.error()).hasMessageContaining("family 0x03");
        assertThat(counters.malformedStun()).isEqualTo(1);
        assertThat(counters.droppedMalformed()).isZero();
    }

    @Test
    void dropsStunWhoseLengthIsNotSensibleOrWhoseFingerprintIsWrong() {
        // RFC 8489 §7.3: such a message is silently discarded, not answered with 400.
        String tid = "0102030405060708090a0b0c";
        assertThat(channel.writeInbound(packet("00010008" + "2112a442" + tid))).isFalse();
        assertThat(channel.writeInbound(packet("00010008" + "2112a442" + tid + "80280004" + "00000000"))).isFalse();
        assertThat(counters.droppedMalformed()).isEqualTo(2);
        assertThat(counters.malformedStun()).isZero();
    }

    @Test
    void dropsStunTooShortForAHeader() {
        assertThat(channel.writeInbound(packet("000100002112a442"))).isFalse();
        assertThat(counters.droppedMalformed()).isEqualTo(1);
    }

    @Test
    void dropsTruncatedChannelData() {
        assertThat(channel.writeInbound(packet("4001"))).isFalse();
        assertThat(channel.writeInbound(packet("40010064" + "00112233"))).isFalse();
        assertThat(counters.droppedMalformed()).isEqualTo(2);
        assertThat(counters.decodedChannelData()).isZero();
    }

    @Test
    void dropsEmptyDatagrams() {
        assertThat(channel.writeInbound(packet(alloc.buffer(0)))).isFalse();
        assertThat(counters.droppedMalformed()).isEqualTo(1);
    }

    @Test
    void oneDecoderAndItsCountersServeManyChannels() {
        StunDatagramDecoder shared = new StunDatagramDecoder(counters);
        EmbeddedChannel a = new EmbeddedChannel(shared);
        EmbeddedChannel b = new EmbeddedChannel(shared);

        a.writeInbound(packet("40010000"));
        b.writeInbound(packet("40010000"));
        b.writeInbound(packet("17fefd"));

        assertThat(counters.decodedChannelData()).isEqualTo(2);
        assertThat(counters.passedOn()).isEqualTo(1);
        assertThat(a.releaseInbound()).isTrue();
        assertThat(b.releaseInbound()).isTrue();
        assertThat(a.finish()).isFalse();
        assertThat(b.finish()).isFalse();
    }
}
