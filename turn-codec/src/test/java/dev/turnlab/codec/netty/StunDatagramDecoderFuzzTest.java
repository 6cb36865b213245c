package dev.turnlab.codec.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.turnlab.codec.ChannelData;
import dev.turnlab.testing.tools.RecordingAllocator;
import dev.turnlab.codec.StunMessage;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * Coverage-guided fuzzing of {@link StunDatagramDecoder} (RFC 7983 §7 demultiplexing): any datagram gives
 * exactly one counted outcome of the kind its first byte names (0-3 STUN, 64-127 ChannelData, anything else
 * passed on unchanged, nothing dropped), raises nothing through the pipeline, and leaves no buffer unreleased
 * once the outcome is released.
 */
class StunDatagramDecoderFuzzTest {

    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 3478);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.3", 40000);

    @FuzzTest(maxDuration = "4s")
    void datagram(byte[] bytes) {
        RecordingAllocator alloc = new RecordingAllocator();
        CodecCounters counters = new CodecCounters();
        EmbeddedChannel channel = new EmbeddedChannel(new StunDatagramDecoder(counters));

        channel.writeInbound(new DatagramPacket(alloc.bytes(bytes), LOCAL, REMOTE));

        Object out = channel.readInbound();
        try {
            assertThat(counters.decodedStun() + counters.decodedChannelData() + counters.passedOn()
                    + counters.malformedStun() + counters.droppedMalformed()).isEqualTo(1);
            assertThat(channel.<Object>readInbound()).isNull();
            String kind = kind(bytes);
            if (out == null) {
                assertThat(counters.droppedMalformed()).isEqualTo(1);
                assertThat(kind).isIn("empty", "STUN", "ChannelData");
            } else if (out instanceof DatagramPacket passedOn) {
                assertThat(kind).isEqualTo("other");
                assertThat(ByteBufUtil.getBytes(passedOn.content())).isEqualTo(bytes);
            } else if (out instanceof MalformedStunMessage malformed) {
                assertThat(kind).isEqualTo("STUN");
                assertThat(malformed.sender()).isEqualTo(REMOTE);
            } else {
                AddressedEnvelope<?, ?> envelope = (AddressedEnvelope<?, ?>) out;
                assertThat(envelope.sender()).isEqualTo(REMOTE);
                assertThat(envelope.recipient()).isEqualTo(LOCAL);
                assertThat(envelope.content()).isInstanceOf(kind.equals("STUN") ? StunMessage.class : ChannelData.class);
            }
        } finally {
            ReferenceCountUtil.release(out);
        }
        assertThat(channel.finish()).isFalse();
        alloc.assertAllReleased();
    }

    /** RFC 7983 §7's ranges of the first byte, as this decoder takes them (ChannelData up to 0x7F, RFC 5766). */
    private static String kind(byte[] bytes) {
        if (bytes.length == 0) {
            return "empty";
        }
        int first = bytes[0] & 0xFF;
        return first <= 3 ? "STUN" : first >= 64 && first <= 127 ? "ChannelData" : "other";
    }
}
