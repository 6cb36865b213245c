package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.testing.tools.RecordingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Send and Data indications written behind an {@link IndicationHeader} (RFC 8656 §11.1, §11.3), checked against
 * hand-assembled bytes whose XOR-PEER-ADDRESS values are RFC 5769 §2.2's and §2.3's XOR-MAPPED-ADDRESS ones: same
 * transaction ID, same transport addresses, type 0x0012 instead of 0x0020.
 */
class IndicationHeaderTest {

    private static final TransactionId TID = TransactionId.ofHex("b7e7a701bc34d686fa87dfae");
    private static final InetSocketAddress PEER_V4 = new InetSocketAddress("192.0.2.1", 32853);
    private static final InetSocketAddress PEER_V6 = new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853);

    @Test
    void aDataIndicationFromAnIpv4PeerCarryingThreeBytes() {
        RecordingAllocator alloc = new RecordingAllocator();
        ByteBuf data = Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII);

        ByteBuf wire = IndicationHeader.of(Method.DATA, PEER_V4, TID).encode(data, alloc);

        assertThat(ByteBufUtil.hexDump(wire)).isEqualTo(""
                + "0017" + "0014" + "2112a442" + "b7e7a701bc34d686fa87dfae" // Data indication, 20 bytes of attributes
                + "00120008" + "0001a147e112a643" // XOR-PEER-ADDRESS 192.0.2.1:32853
                + "00130003" + "616263" + "00"); // DATA "abc", one byte of padding
        assertThat(data.readerIndex()).as("the data is copied, not consumed").isZero();
        wire.release();
        data.release();
        alloc.assertAllReleased();
    }

    @Test
    void aSendIndicationToAnIpv6PeerCarryingNothing() {
        IndicationHeader header = IndicationHeader.of(Method.SEND, PEER_V6, TID);
        ByteBuf wire = Unpooled.buffer();

        header.writeHeader(0, wire);

        assertThat(ByteBufUtil.hexDump(wire)).isEqualTo(""
                + "0016" + "001c" + "2112a442" + "b7e7a701bc34d686fa87dfae" // Send indication, 28 bytes of attributes
                + "00120014" + "0002a1470113a9faa5d3f179bc25f4b5bed2b9d9" // XOR-PEER-ADDRESS [2001:db8:...]:32853
                + "00130000"); // DATA, empty
        assertThat(wire.readableBytes()).isEqualTo(header.indicationLength(0));
        wire.release();
    }

    @Test
    void theDataIsBoundedByTheSixteenBitMessageLength() {
        // 65535 bytes of attributes: XOR-PEER-ADDRESS (12 or 24), DATA's header (4), then the padded value.
        assertThat(IndicationHeader.data(PEER_V4).maxDataLength()).isEqualTo(65516);
        assertThat(IndicationHeader.data(PEER_V6).maxDataLength()).isEqualTo(65504);
        IndicationHeader header = IndicationHeader.data(PEER_V6);
        RecordingAllocator alloc = new RecordingAllocator();
        ByteBuf tooLong = Unpooled.buffer(65505).writeZero(65505);

        assertThatThrownBy(() -> header.encode(tooLong, alloc)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DATA: 65505 bytes (expected: 0-65504");
        assertThatThrownBy(() -> header.writeHeader(-1, Unpooled.buffer())).isInstanceOf(IllegalArgumentException.class);
        alloc.assertAllReleased();
        tooLong.release();
    }

    @Test
    void onlySendAndDataIndicationsWithAnRfc8489TransactionIdHaveOne() {
        assertThatThrownBy(() -> IndicationHeader.of(Method.BINDING, PEER_V4, TID))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("method: Binding (expected: Send or Data)");
        TransactionId classic = TransactionId.ofHex("0102030405060708090a0b0c0d0e0f10");
        assertThatThrownBy(() -> IndicationHeader.of(Method.DATA, PEER_V4, classic))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RFC 3489");
    }
}
