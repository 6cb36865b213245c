package dev.turnlab.server;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

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
