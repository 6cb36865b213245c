package dev.turnlab.codec.attribute;

import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.TransactionId;
import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The address attribute value (RFC 8489 §14.1, §14.2): a reserved byte, the family (0x01 IPv4,
 * 0x02 IPv6), the port and the address, optionally XOR'ed with the magic cookie and transaction id.
 */
final class AddressCodec {

    static final int FAMILY_IPV4 = 0x01;
    static final int FAMILY_IPV6 = 0x02;

    private AddressCodec() {
    }

    /** Reads the {@code length} bytes of the address attribute of type {@code code}, named in any error. */
    static InetSocketAddress decode(ByteBuf in, int length, boolean xor, TransactionId tid, int code) {
        if (length < 4) {
            throw new IllegalArgumentException(AttributeType.valueOf(code) + ": " + length + " bytes (expected: 8 or 20)");
        }
        in.skipBytes(1);
        int family = in.readUnsignedByte();
        int port = in.readUnsignedShort();
        int addressLength = switch (family) {
            case FAMILY_IPV4 -> 4;
            case FAMILY_IPV6 -> 16;
            default -> throw new IllegalArgumentException(String.format(
                    "%s: family 0x%02X (expected: 0x01 IPv4 or 0x02 IPv6)", AttributeType.valueOf(code), family));
        };
        if (length != 4 + addressLength) {
            throw new IllegalArgumentException(AttributeType.valueOf(code) + ": " + length + " bytes for family "
                    + (family == FAMILY_IPV4 ? "IPv4" : "IPv6") + " (expected: " + (4 + addressLength) + ")");
        }
        byte[] address = new byte[addressLength];
        in.readBytes(address);
        if (xor) {
            port ^= xorPort(tid);
            xorAddress(address, tid);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address of " + addressLength + " bytes", e);
        }
    }

    static int length(InetSocketAddress address) {
        return address.getAddress() instanceof Inet6Address ? 20 : 8;
    }

    static void encode(InetSocketAddress address, ByteBuf out, boolean xor, TransactionId tid) {
        InetAddress ip = address.getAddress();
        byte[] bytes = ip.getAddress();
        int port = address.getPort();
        if (xor) {
            port ^= xorPort(tid);
            xorAddress(bytes, tid);
        }
        out.writeByte(0);
        out.writeByte(ip instanceof Inet4Address ? FAMILY_IPV4 : FAMILY_IPV6);
        out.writeShort(port);
        out.writeBytes(bytes);
    }

    // RFC 8489 §14.2 XORs with the 16 header bytes after the length field: the magic cookie and the
    // 96-bit transaction id. In an RFC 3489 message those bytes are its 128-bit transaction id.
    private static int xorPort(TransactionId tid) {
        if (!tid.isClassic()) {
            return StunMessageCodec.MAGIC_COOKIE >>> 16;
        }
        return (tid.byteAt(0) & 0xFF) << 8 | tid.byteAt(1) & 0xFF;
    }

    /** XOR with the magic cookie, then (IPv6 only) with the 96-bit transaction id; see {@link #xorPort}. */
    private static void xorAddress(byte[] address, TransactionId tid) {
        if (tid.isClassic()) {
            for (int i = 0; i < address.length; i++) {
                address[i] ^= tid.byteAt(i);
            }
            return;
        }
        int cookie = StunMessageCodec.MAGIC_COOKIE;
        for (int i = 0; i < 4; i++) {
            address[i] ^= (byte) (cookie >>> (24 - 8 * i));
        }
        for (int i = 4; i < address.length; i++) {
            address[i] ^= tid.byteAt(i - 4);
        }
    }

    /** Checks an address given to an attribute's constructor: resolved, with a port in range. */
    static InetSocketAddress require(InetSocketAddress address, String attribute) {
        if (address == null || address.isUnresolved()) {
            throw new IllegalArgumentException(attribute + ": " + address + " (expected: a resolved address)");
        }
        return address;
    }
}
