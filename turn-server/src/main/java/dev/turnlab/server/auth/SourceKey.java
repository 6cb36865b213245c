package dev.turnlab.server.auth;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Who a client is, for limits per source: an IPv4 address, or the /64 prefix of an IPv6 address. One host
 * or LAN usually holds a whole /64 (RFC 4291 §2.5.1, RFC 7421), so keying on the full address would give one
 * IPv6 host 2^64 sources. Login limits and connection caps use this one definition.
 */
public final class SourceKey {

    private SourceKey() {
    }

    /**
     * The source key of {@code source}: its 32 bits for IPv4, the first 64 bits for IPv6. The two ranges
     * meet only in ::/32, which is not routed.
     */
    public static long of(InetAddress source) {
        byte[] a = source.getAddress();
        long k = 0;
        for (int i = 0; i < (source instanceof Inet4Address ? 4 : 8); i++) {
            k = k << 8 | a[i] & 0xFF;
        }
        return k;
    }
}
