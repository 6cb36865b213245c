package dev.turnlab.server.relay;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;

/**
 * Which peers a client may relay to (RFC 8656 §21.2.3, §9.1): special-purpose addresses (IANA
 * registries for IPv4 and IPv6: loopback, private, link-local, multicast, documentation, ...) are refused
 * unless allowed, so that the relay cannot be used to reach the server's own networks. The server's own
 * listening sockets are never allowed.
 */
public final class PeerPolicy {

    private static final List<Cidr> SPECIAL_PURPOSE = List.of(
            Cidr.parse("0.0.0.0/8"), Cidr.parse("10.0.0.0/8"), Cidr.parse("100.64.0.0/10"),
            Cidr.parse("127.0.0.0/8"), Cidr.parse("169.254.0.0/16"), Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.0.0.0/24"), Cidr.parse("192.0.2.0/24"), Cidr.parse("192.88.99.0/24"),
            Cidr.parse("192.168.0.0/16"), Cidr.parse("198.18.0.0/15"), Cidr.parse("198.51.100.0/24"),
            Cidr.parse("203.0.113.0/24"), Cidr.parse("224.0.0.0/4"), Cidr.parse("240.0.0.0/4"),
            Cidr.parse("::/128"), Cidr.parse("::1/128"), Cidr.parse("64:ff9b::/96"),
            Cidr.parse("100::/64"), Cidr.parse("2001::/23"), Cidr.parse("2001:db8::/32"), Cidr.parse("2002::/16"),
            Cidr.parse("fc00::/7"), Cidr.parse("fe80::/10"), Cidr.parse("ff00::/8"));
    private static final List<Cidr> LOOPBACK = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));

    private final boolean allowLoopback;
    private final List<Cidr> allowed;
    private final List<Cidr> denied;
    // Set once the listeners are bound (port 0 is only known then); read on every permission request.
    private volatile Set<InetSocketAddress> ownSockets;

    /**
     * A policy: {@code allowed} prefixes win over {@code denied} ones, which win over the defaults;
     * {@code ownSockets} (the server's bound listening sockets, wildcards included) are always refused.
     */
    public PeerPolicy(boolean allowLoopback, List<Cidr> allowed, List<Cidr> denied, Set<InetSocketAddress> ownSockets) {
        this.allowLoopback = allowLoopback;
        this.allowed = List.copyOf(allowed);
        this.denied = List.copyOf(denied);
        this.ownSockets = Set.copyOf(ownSockets);
    }

    /** Records the server's listening sockets once they are bound. */
    public void ownSockets(Set<InetSocketAddress> sockets) {
        this.ownSockets = Set.copyOf(sockets);
    }

    /** Whether a permission or channel to {@code peer} may be installed (otherwise 403 Forbidden). */
    public boolean permits(InetSocketAddress peer) {
        InetAddress ip = unmapped(peer.getAddress());
        if (isOwnSocket(ip, peer.getPort())) {
            return false;
        }
        if (matches(allowed, ip)) {
            return true;
        }
        if (matches(denied, ip)) {
            return false;
        }
        if (allowLoopback && matches(LOOPBACK, ip)) {
            return true;
        }
        return !matches(SPECIAL_PURPOSE, ip);
    }

    /** Whether {@code ip} alone may receive a permission (CreatePermission ignores the port, RFC 8656 §9). */
    public boolean permitsAddress(InetAddress ip) {
        return permits(new InetSocketAddress(ip, 0));
    }

    private boolean isOwnSocket(InetAddress ip, int port) {
        for (InetSocketAddress own : ownSockets) {
            if (own.getPort() == port && (own.getAddress().equals(ip)
                    || own.getAddress().isAnyLocalAddress() && (ip.isLoopbackAddress() || isLocal(ip)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLocal(InetAddress ip) {
        try {
            return NetworkInterface.getByInetAddress(ip) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    private static boolean matches(List<Cidr> prefixes, InetAddress ip) {
        for (Cidr c : prefixes) {
            if (c.contains(ip)) {
                return true;
            }
        }
        return false;
    }

    /** An IPv4-mapped IPv6 address judged as the IPv4 address it carries. */
    private static InetAddress unmapped(InetAddress ip) {
        if (ip instanceof Inet6Address) {
            byte[] a = ip.getAddress();
            for (int i = 0; i < 10; i++) {
                if (a[i] != 0) {
                    return ip;
                }
            }
            if (a[10] == (byte) 0xFF && a[11] == (byte) 0xFF) {
                try {
                    return InetAddress.getByAddress(new byte[] {a[12], a[13], a[14], a[15]});
                } catch (UnknownHostException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return ip;
    }
}
