package dev.turnlab.codec.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The bytes of pcap records: the libpcap file header, the record header's lengths and time, and IP,
 * UDP and TCP headers whose checksums verify as a receiver verifies them (RFC 1071: the one's complement
 * sum over the covered bytes, checksum included, is 0xFFFF).
 */
class PcapTest {

    static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.1", 50000);
    static final InetSocketAddress SERVER = new InetSocketAddress("198.51.100.7", 3478);
    static final InetSocketAddress CLIENT6 = new InetSocketAddress("2001:db8::1", 50000);
    static final InetSocketAddress SERVER6 = new InetSocketAddress("2001:db8::7", 3478);
    static final long MICROS = 1_700_000_000_123_456L;

    @Test
    void fileHeaderIsLibpcap24WithRawIpLinkType() {
        ByteBuf out = Unpooled.buffer();
        Pcap.fileHeader(out);
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("a1b2c3d4" + "0002" + "0004" + "00000000" + "00000000"
                + "00040000" + "00000065");
        out.release();
    }

    @Test
    void udpOverIpv4HasConsistentLengthsAndChecksums() {
        ByteBuf payload = Unpooled.wrappedBuffer("hello, peer".getBytes());
        ByteBuf out = Unpooled.buffer();
        Pcap.udp(out, MICROS, CLIENT, SERVER, payload, 0, 11);
        byte[] r = ByteBufUtil.getBytes(out);

        assertThat(u32(r, 0)).isEqualTo(1_700_000_000L);
        assertThat(u32(r, 4)).isEqualTo(123_456L);
        assertThat(u32(r, 8)).isEqualTo(20 + 8 + 11).isEqualTo(u32(r, 12)).isEqualTo(r.length - 16);
        byte[] ip = Arrays.copyOfRange(r, 16, r.length);
        assertThat(ip[0]).isEqualTo((byte) 0x45);
        assertThat(u16(ip, 2)).isEqualTo(ip.length);
        assertThat(ip[9]).isEqualTo((byte) 17);
        assertThat(sum(Arrays.copyOfRange(ip, 0, 20))).isEqualTo(0xFFFF);
        byte[] udp = Arrays.copyOfRange(ip, 20, ip.length);
        assertThat(u16(udp, 0)).isEqualTo(50000);
        assertThat(u16(udp, 2)).isEqualTo(3478);
        assertThat(u16(udp, 4)).isEqualTo(udp.length);
        assertThat(sum(concat(Arrays.copyOfRange(ip, 12, 20), new byte[] {0, 17}, be16(udp.length), udp))).isEqualTo(0xFFFF);
        assertThat(new String(udp, 8, 11)).isEqualTo("hello, peer");
        assertThat(payload.readerIndex()).isZero();
        payload.release();
        out.release();
    }

    @Test
    void udpOverIpv6HasAMandatoryChecksum() {
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
        ByteBuf out = Unpooled.buffer();
        Pcap.udp(out, MICROS, CLIENT6, SERVER6, payload, 0, 3);
        byte[] ip = Arrays.copyOfRange(ByteBufUtil.getBytes(out), 16, out.readableBytes());

        assertThat(ip[0] >> 4).isEqualTo(6);
        assertThat(u16(ip, 4)).isEqualTo(8 + 3);
        assertThat(ip[6]).isEqualTo((byte) 17);
        byte[] udp = Arrays.copyOfRange(ip, 40, ip.length);
        assertThat(u16(udp, 6)).isNotZero();
        assertThat(sum(concat(Arrays.copyOfRange(ip, 8, 40), new byte[] {0, 17}, be16(udp.length), udp))).isEqualTo(0xFFFF);
        payload.release();
        out.release();
    }

    @Test
    void anIpv4AddressPairedWithAnIpv6OneIsWrittenIpv4Mapped() {
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[] {9});
        ByteBuf out = Unpooled.buffer();
        Pcap.udp(out, MICROS, CLIENT, SERVER6, payload, 0, 1);
        byte[] ip = Arrays.copyOfRange(ByteBufUtil.getBytes(out), 16, out.readableBytes());

        assertThat(ip[0] >> 4).isEqualTo(6);
        assertThat(HexFormat.of().formatHex(ip, 8, 24)).isEqualTo("00000000000000000000ffffc0000201");
        payload.release();
        out.release();
    }

    @Test
    void tcpCarriesSequenceAcknowledgmentFlagsAndAChecksum() {
        ByteBuf payload = Unpooled.wrappedBuffer("abcde".getBytes());
        ByteBuf out = Unpooled.buffer();
        Pcap.tcp(out, MICROS, CLIENT, SERVER, 4_294_967_295L, 17, Pcap.PSH | Pcap.ACK, payload, 1, 4);
        byte[] ip = Arrays.copyOfRange(ByteBufUtil.getBytes(out), 16, out.readableBytes());
        byte[] tcp = Arrays.copyOfRange(ip, 20, ip.length);

        assertThat(ip[9]).isEqualTo((byte) 6);
        assertThat(u32(tcp, 4)).isEqualTo(4_294_967_295L);
        assertThat(u32(tcp, 8)).isEqualTo(17);
        assertThat(tcp[12]).isEqualTo((byte) 0x50);
        assertThat(tcp[13]).isEqualTo((byte) 0x18);
        assertThat(new String(tcp, 20, 4)).isEqualTo("bcde");
        assertThat(sum(concat(Arrays.copyOfRange(ip, 12, 20), new byte[] {0, 6}, be16(tcp.length), tcp))).isEqualTo(0xFFFF);
        payload.release();
        out.release();
    }

    @Test
    void aSynWithoutAckHasNoAcknowledgmentNumber() {
        ByteBuf out = Unpooled.buffer();
        Pcap.tcp(out, MICROS, CLIENT, SERVER, 0, 99, Pcap.SYN, null, 0, 0);
        byte[] tcp = Arrays.copyOfRange(ByteBufUtil.getBytes(out), 16 + 20, out.readableBytes());
        assertThat(tcp).hasSize(20);
        assertThat(u32(tcp, 8)).isZero();
        out.release();
    }

    @Test
    void aDatagramTooLargeForIpv4IsRefused() {
        ByteBuf payload = Unpooled.buffer(65_508).writeZero(65_508);
        ByteBuf out = Unpooled.buffer();
        assertThat(Pcap.maxUdpPayload(CLIENT, SERVER)).isEqualTo(65_507);
        assertThat(Pcap.maxUdpPayload(CLIENT6, SERVER6)).isEqualTo(65_527);
        assertThatThrownBy(() -> Pcap.udp(out, MICROS, CLIENT, SERVER, payload, 0, 65_508))
                .isInstanceOf(IllegalArgumentException.class);
        Pcap.udp(out, MICROS, CLIENT6, SERVER6, payload, 0, 65_508);
        assertThat(out.readableBytes()).isEqualTo(16 + 40 + 8 + 65_508);
        payload.release();
        out.release();
    }

    static int sum(byte[] bytes) {
        long s = 0;
        for (int i = 0; i < bytes.length; i += 2) {
            s += ((bytes[i] & 0xFF) << 8) | (i + 1 < bytes.length ? bytes[i + 1] & 0xFF : 0);
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    static byte[] be16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }
}
