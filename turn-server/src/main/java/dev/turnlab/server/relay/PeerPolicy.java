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

    /** Whether a permission or channel to {@code peer} may be installed (otherwise 403 Forbidden). */
    public boolean permits(InetSocketAddress peer) {
        InetAddress ip = unmapped(peer.getAddress());
        if (isServerSocket(peer)) {
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
