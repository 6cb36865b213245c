package dev.turnlab.codec.capture;

import io.netty.buffer.ByteBuf;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The pcap file format (libpcap 2.4, as tcpdump writes it) for packets made up from socket traffic:
 * link type {@code LINKTYPE_RAW}, so each record is an IPv4 or IPv6 packet, with a UDP or TCP header, in
 * front of the bytes a socket sent or received. The IP and UDP/TCP checksums are computed, so that
 * Wireshark has nothing to flag. Pure functions that append to a {@link ByteBuf}; all numbers big-endian
 * (the magic number tells readers the byte order).
 */
public final class Pcap {

    /** The magic number of a pcap file with microsecond timestamps. */
    public static final int MAGIC = 0xA1B2C3D4;
    /** Raw IP: a record starts with the IP header, its version says which (tcpdump.org link types). */
    public static final int LINKTYPE_RAW = 101;
    /** The most bytes a record claims to hold (tcpdump's default snapshot length). */
    public static final int SNAPLEN = 262_144;
    /** Bytes of the file header. */
    public static final int FILE_HEADER_LENGTH = 24;
    /** Bytes of a record header. */
    public static final int RECORD_HEADER_LENGTH = 16;
    /** The largest UDP payload over IPv6 (over IPv4 it is 20 bytes less). */
    public static final int MAX_UDP_PAYLOAD = 65_527;
    /** The most data one TCP record carries: its IP packet's length must fit 16 bits over either family. */
    public static final int MAX_TCP_SEGMENT = 65_000;
    /** The longest record this class writes. */
    public static final int MAX_RECORD = RECORD_HEADER_LENGTH + 40 + 8 + MAX_UDP_PAYLOAD;

    /** TCP flags (RFC 9293 §3.1). */
    public static final int FIN = 0x01, SYN = 0x02, PSH = 0x08, ACK = 0x10;

    private static final int UDP = 17;
    private static final int TCP = 6;

    private Pcap() {
    }

    /** Appends the file header: version 2.4, UTC, {@link #SNAPLEN}, {@link #LINKTYPE_RAW}. */
    public static void fileHeader(ByteBuf out) {
        out.writeInt(MAGIC).writeShort(2).writeShort(4).writeInt(0).writeInt(0).writeInt(SNAPLEN).writeInt(LINKTYPE_RAW);
    }

    /** The largest UDP payload a record from {@code src} to {@code dst} can carry (an IP packet's length is 16 bits). */
    public static int maxUdpPayload(InetSocketAddress src, InetSocketAddress dst) {
        return isV6(src, dst) ? MAX_UDP_PAYLOAD : MAX_UDP_PAYLOAD - 20;
    }

    /**
     * Appends a record of a UDP datagram from {@code src} to {@code dst} carrying {@code length} bytes of
     * {@code payload} from {@code index}, at {@code micros} since the epoch. An IPv4 address paired with
     * an IPv6 one is written as IPv4-mapped IPv6. Does not move {@code payload}'s indices.
     *
     * @throws IllegalArgumentException if the payload is longer than {@link #maxUdpPayload}
     */
    public static void udp(ByteBuf out, long micros, InetSocketAddress src, InetSocketAddress dst, ByteBuf payload,
            int index, int length) {
        if (length > maxUdpPayload(src, dst)) {
            throw new IllegalArgumentException("payload: " + length + " bytes (expected: at most " + maxUdpPayload(src, dst) + ")");
        }
        int udpLength = 8 + length;
        int record = out.writerIndex();
        int l4 = ip(out, micros, src, dst, UDP, udpLength);
        out.writeShort(src.getPort()).writeShort(dst.getPort()).writeShort(udpLength).writeShort(0);
        out.writeBytes(payload, index, length);
        int sum = checksum(out, l4, udpLength, pseudoHeaderSum(out, record, UDP, udpLength));
        // RFC 768: a computed checksum of zero is sent as all ones; zero means "none".
        out.setShort(l4 + 6, sum == 0 ? 0xFFFF : sum);
    }

    /**
     * Appends a record of a TCP segment from {@code src} to {@code dst} with sequence number {@code seq},
     * acknowledgment number {@code ack} (sent when {@code flags} has {@link #ACK}) and {@code length} bytes
     * of {@code payload} from {@code index} (at most {@link #MAX_TCP_SEGMENT}; none for a bare SYN, FIN or ACK).
     */
    public static void tcp(ByteBuf out, long micros, InetSocketAddress src, InetSocketAddress dst, long seq, long ack,
            int flags, ByteBuf payload, int index, int length) {
        if (length > MAX_TCP_SEGMENT) {
            throw new IllegalArgumentException("segment: " + length + " bytes (expected: at most " + MAX_TCP_SEGMENT + ")");
        }
        int tcpLength = 20 + length;
        int record = out.writerIndex();
        int l4 = ip(out, micros, src, dst, TCP, tcpLength);
        out.writeShort(src.getPort()).writeShort(dst.getPort()).writeInt((int) seq).writeInt((flags & ACK) != 0 ? (int) ack : 0)
                .writeByte(5 << 4).writeByte(flags).writeShort(65_535).writeShort(0).writeShort(0);
        if (length > 0) {
            out.writeBytes(payload, index, length);
        }
        out.setShort(l4 + 16, checksum(out, l4, tcpLength, pseudoHeaderSum(out, record, TCP, tcpLength)));
    }

    /**
     * Appends the record header and the IP header of a packet whose payload (UDP or TCP header and data)
     * is {@code l4Length} bytes long; returns where that payload starts.
     */
    private static int ip(ByteBuf out, long micros, InetSocketAddress src, InetSocketAddress dst, int protocol, int l4Length) {
        boolean v6 = isV6(src, dst);
        int ipLength = (v6 ? 40 : 20) + l4Length;
        out.writeInt((int) (micros / 1_000_000)).writeInt((int) (micros % 1_000_000)).writeInt(ipLength).writeInt(ipLength);
        int start = out.writerIndex();
        if (v6) {
            out.writeInt(6 << 28).writeShort(l4Length).writeByte(protocol).writeByte(64);
            out.writeBytes(address(src.getAddress(), true)).writeBytes(address(dst.getAddress(), true));
        } else {
            // Don't Fragment, TTL 64; the header checksum is the one's complement sum of its ten 16-bit words.
            out.writeByte(0x45).writeByte(0).writeShort(ipLength).writeShort(0).writeShort(0x4000).writeByte(64)
                    .writeByte(protocol).writeShort(0);
            out.writeBytes(address(src.getAddress(), false)).writeBytes(address(dst.getAddress(), false));
            out.setShort(start + 10, checksum(out, start, 20, 0));
        }
        return out.writerIndex();
    }

    private static boolean isV6(InetSocketAddress src, InetSocketAddress dst) {
        return src.getAddress() instanceof Inet6Address || dst.getAddress() instanceof Inet6Address;
    }

    private static byte[] address(InetAddress a, boolean v6) {
        byte[] bytes = a.getAddress();
        if (!v6 || bytes.length == 16) {
            return bytes;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(bytes, 0, mapped, 12, 4);
        return mapped;
    }

    /**
     * The sum over the pseudo-header (RFC 768, RFC 9293 §3.1; RFC 8200 §8.1 for IPv6) of the record at
     * {@code record}: both addresses, the protocol and the UDP or TCP length.
     */
    private static int pseudoHeaderSum(ByteBuf out, int record, int protocol, int l4Length) {
        int ip = record + RECORD_HEADER_LENGTH;
        boolean v6 = (out.getByte(ip) & 0xF0) == 0x60;
        int addresses = v6 ? ip + 8 : ip + 12;
        int sum = sum(out, addresses, v6 ? 32 : 8, 0);
        return sum + protocol + l4Length;
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes at {@code index}, starting from {@code initial}. */
    static int checksum(ByteBuf buf, int index, int length, int initial) {
        int sum = sum(buf, index, length, initial);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    private static int sum(ByteBuf buf, int index, int length, int initial) {
        long sum = initial;
        int end = index + length;
        int i = index;
        for (; i + 1 < end; i += 2) {
            sum += buf.getUnsignedShort(i);
        }
        if (i < end) {
            sum += (buf.getUnsignedByte(i) << 8);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }
}
