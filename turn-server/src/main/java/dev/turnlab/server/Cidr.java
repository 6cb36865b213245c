package dev.turnlab.server;

import io.netty.util.NetUtil;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An IPv4 or IPv6 prefix such as {@code 10.0.0.0/8} or {@code fe80::/10}, for peer rules. */
public record Cidr(byte[] network, int prefixLength) {

    /** Checks the prefix length against the address size and masks the host bits off. */
    public Cidr {
        network = network.clone();
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("cidr: expected a 4 or 16 byte address");
        }
        if (prefixLength < 0 || prefixLength > network.length * 8) {
            throw new IllegalArgumentException("cidr: /" + prefixLength + " (expected: 0-" + network.length * 8 + ")");
        }
        for (int bit = prefixLength; bit < network.length * 8; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
    }

    /** Parses {@code ADDRESS/LENGTH}, or a bare address as a host prefix; numeric addresses only. */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text.trim() : text.substring(0, slash).trim();
        if (address.isEmpty() || !(Character.digit(address.charAt(0), 16) >= 0 || address.charAt(0) == ':')) {
            throw new IllegalArgumentException("cidr: " + text + " (expected: a numeric address/prefix length)");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cidr: " + text + " (expected: a numeric address/prefix length)");
        }
        try {
            int length = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1).trim());
            return new Cidr(bytes, length);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cidr: " + text + " (expected: a numeric address/prefix length)");
        }
    }

    /**
     * coturn's peer address forms ({@code allowed-peer-ip}, {@code denied-peer-ip}): an address, a prefix, or a
     * range {@code A-B} as the fewest prefixes that cover exactly the addresses from A to B.
     */
    public static List<Cidr> parseRange(String text) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            return List.of(parse(text));
        }
        byte[] first = parse(text.substring(0, dash)).network;
        byte[] last = parse(text.substring(dash + 1)).network;
        if (first.length != last.length) {
            throw new IllegalArgumentException("peer range: " + text + " (expected: both ends of one family)");
        }
        BigInteger from = new BigInteger(1, first);
        BigInteger to = new BigInteger(1, last);
        if (from.compareTo(to) > 0) {
            throw new IllegalArgumentException("peer range: " + text + " (expected: first <= last)");
        }
        int bits = first.length * 8;
        List<Cidr> prefixes = new ArrayList<>();
        while (from.compareTo(to) <= 0) {
            // The largest block aligned at `from` that does not pass `to`.
            int size = from.signum() == 0 ? bits : Math.min(bits, from.getLowestSetBit());
            while (size > 0 && from.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(to) > 0) {
                size--;
            }
            prefixes.add(new Cidr(bytes(from, first.length), bits - size));
            from = from.add(BigInteger.ONE.shiftLeft(size));
        }
        return prefixes;
    }

    private static byte[] bytes(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int n = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - n, out, length - n, n);
        return out;
    }

    /** Whether {@code address} lies in this prefix; addresses of the other family never do. */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** Whether the address of 4 or 16 bytes {@code a} lies in this prefix; one of the other family never does. */
    public boolean contains(byte[] a) {
        if (a.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[full] & mask) == (network[full] & mask);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        try {
            // RFC 5952 text (fe80::/10, not fe80:0:0:0:0:0:0:0/10), as an operator writes a prefix.
            return NetUtil.toAddressString(InetAddress.getByAddress(network)) + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
