package dev.turnlab.server.relay;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which peers a client may relay to (RFC 8656 §21.2.3, §9.1): special-purpose addresses (IANA
 * registries for IPv4 and IPv6: loopback, private, link-local, multicast, documentation, ...) are refused
 * unless allowed, so that the relay cannot be used to reach the server's own networks. The server's own
 * sockets, listening and relay, are never allowed, whatever the configuration: relaying to them would let a
 * client loop traffic through the server or speak to it from the server's own address.
 */
public final class PeerPolicy {

    /**
     * The IANA IPv4 Special-Purpose Address Registry (RFC 6890 and its updates), every entry whether or not
     * IANA calls it globally reachable, plus multicast (RFC 5771) and the limited broadcast (in 240/4).
     */
    static final List<Cidr> SPECIAL_IPV4 = cidrs("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
            "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "255.255.255.255/32");
    /**
     * The IANA IPv6 Special-Purpose Address Registry, less the three prefixes that embed an IPv4 address and
     * are judged by it (::ffff:0:0/96, 64:ff9b::/96, 2002::/16); plus the deprecated IPv4-compatible ::/96
     * and site-local fec0::/10, the local-use NAT64 prefix 64:ff9b:1::/48, the documentation prefix
     * 3fff::/20 (RFC 9637), SRv6 SIDs 5f00::/16 and multicast ff00::/8.
     */
    static final List<Cidr> SPECIAL_IPV6 = cidrs("::/96", "::1/128", "64:ff9b:1::/48", "100::/64",
            "2001::/23", "2001:db8::/32", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10",
            "ff00::/8");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
    private static final List<Cidr> LOOPBACK = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));

    private final boolean allowLoopback;
    private final List<Cidr> allowed;
    private final List<Cidr> denied;
    // Set once the listeners are bound (port 0 is only known then); read on every permission request.
    private volatile Set<InetSocketAddress> ownSockets;
    // The addresses relay sockets bind to and are advertised on, and the configured relay port range.
    private volatile Set<InetAddress> relayAddresses = Set.of();
    private volatile int relayMin = 1;
    private volatile int relayMax = 0;
    // Ports of relay sockets open now: an injected port allocator may hand out ports outside the range.
    private final Set<Integer> openRelayPorts = ConcurrentHashMap.newKeySet();

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

    /**
     * Records where relay sockets live: the addresses they bind to and are advertised on (wildcards
     * included) and the relay port range {@code minPort}-{@code maxPort}.
     */
    public void relaySockets(Set<InetAddress> addresses, int minPort, int maxPort) {
        this.relayAddresses = Set.copyOf(addresses);
        this.relayMin = minPort;
        this.relayMax = maxPort;
    }

    /** Records a relay socket opened on {@code port}. */
    public void relayOpened(int port) {
        openRelayPorts.add(port);
    }

    /** Records that the relay socket(s) on {@code port} closed. */
    public void relayClosed(int port) {
        openRelayPorts.remove(port);
    }

    /**
     * Whether a permission or channel to {@code peer} may be installed (otherwise 403 Forbidden). An IPv6
     * address that carries an IPv4 one (IPv4-mapped, NAT64 64:ff9b::/96, 6to4 2002::/16) is judged by the
     * IPv4 address it reaches: a rule matching either the IPv6 address or the embedded IPv4 one applies,
     * allow before deny, and the special-purpose registries are applied to the embedded address.
     */
    public boolean permits(InetSocketAddress peer) {
        if (isServerSocket(peer)) {
            return false;
        }
        InetAddress ip = peer.getAddress();
        InetAddress embedded = embeddedIpv4(ip);
        if (matches(allowed, ip) || embedded != null && matches(allowed, embedded)) {
            return true;
        }
        if (matches(denied, ip) || embedded != null && matches(denied, embedded)) {
            return false;
        }
        InetAddress effective = embedded != null ? embedded : ip;
        if (allowLoopback && matches(LOOPBACK, effective)) {
            return true;
        }
        return !isSpecialPurpose(effective);
    }

    /** Whether {@code ip} is in a special-purpose registry (an IPv6 address embedding IPv4 is judged by it). */
    public static boolean isSpecialPurpose(InetAddress ip) {
        InetAddress embedded = embeddedIpv4(ip);
        InetAddress effective = embedded != null ? embedded : ip;
        return matches(SPECIAL_IPV4, effective) || matches(SPECIAL_IPV6, effective);
    }

    /**
     * The IPv4 address an IPv6 address carries, or null: the last 32 bits of an IPv4-mapped (RFC 4291
     * §2.5.5.2) or NAT64 well-known-prefix address (RFC 6052 §2.1), bits 16-47 of a 6to4 address (RFC 3056 §2).
     */
    static InetAddress embeddedIpv4(InetAddress ip) {
        if (!(ip instanceof Inet6Address)) {
            return null;
        }
        byte[] a = ip.getAddress();
        int offset;
        // Java turns most IPv4-mapped addresses into Inet4Address already; Inet6Address.getByAddress does not.
        if (isMapped(a) || NAT64.contains(ip)) {
            offset = 12;
        } else if (SIX_TO_FOUR.contains(ip)) {
            offset = 2;
        } else {
            return null;
        }
        try {
            return InetAddress.getByAddress(new byte[] {a[offset], a[offset + 1], a[offset + 2], a[offset + 3]});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether 16 address bytes are in ::ffff:0:0/96. */
    private static boolean isMapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    private static List<Cidr> cidrs(String... prefixes) {
        return java.util.Arrays.stream(prefixes).map(Cidr::parse).toList();
    }

    /** Whether {@code ip} alone may receive a permission (CreatePermission ignores the port, RFC 8656 §9). */
    public boolean permitsAddress(InetAddress ip) {
        return permits(new InetSocketAddress(ip, 0));
    }

    /**
     * Whether {@code peer} is one of the server's own sockets: a listener, or a relay port (in the range or
     * open now) on a relay or advertised address. A wildcard stands for every local address, and the
     * wildcard or a loopback destination reaches the host itself. Checked for every Send indication, so
     * the port is compared first and interfaces are looked up only on a port match.
     */
    public boolean isServerSocket(InetSocketAddress peer) {
        InetAddress ip = unmapped(peer.getAddress());
        int port = peer.getPort();
        for (InetSocketAddress own : ownSockets) {
            if (own.getPort() == port && isAddressOf(own.getAddress(), ip)) {
                return true;
            }
        }
        if (port >= relayMin && port <= relayMax || openRelayPorts.contains(port)) {
            for (InetAddress own : relayAddresses) {
                if (isAddressOf(own, ip)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether traffic sent to {@code ip} reaches a socket bound to {@code own}. */
    private static boolean isAddressOf(InetAddress own, InetAddress ip) {
        // A wildcard destination is the host itself (Linux delivers 0.0.0.0 and :: to loopback).
        if (own.equals(ip) || ip.isAnyLocalAddress()) {
            return true;
        }
        return own.isAnyLocalAddress() && (ip.isAnyLocalAddress() || ip.isLoopbackAddress() || isLocal(ip));
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
