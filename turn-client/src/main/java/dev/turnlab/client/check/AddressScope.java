package dev.turnlab.client.check;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Whether an address can be reached from the Internet: the private ranges a relayed address must not be
 * in when the relay serves clients there. Documentation ranges (RFC 5737) count as public, since labs
 * stand them in for public addresses.
 */
final class AddressScope {

    private AddressScope() {
    }

    /** RFC 1918 (10/8, 172.16/12, 192.168/16), shared address space (RFC 6598, 100.64/10), unique local (RFC 4193, fc00::/7). */
    static boolean isPrivate(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xFF;
            int second = b[1] & 0xFF;
            return first == 10 || first == 172 && (second & 0xF0) == 16 || first == 192 && second == 168
                    || first == 100 && (second & 0xC0) == 64;
        }
        return a instanceof Inet6Address && (b[0] & 0xFE) == 0xFC;
    }

    /** Neither private, nor loopback, link-local, multicast or the wildcard. */
    static boolean isPublic(InetAddress a) {
        return !isPrivate(a) && !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress()
                && !a.isMulticastAddress();
    }
}
