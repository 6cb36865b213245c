package dev.turnlab.server.relay;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Where relay sockets are bound and what address is advertised for them, per address family. Behind a
 * static NAT (a dual-NIC Expressway-E) the two differ: sockets bind to the private {@code bindV4} while
 * XOR-RELAYED-ADDRESS carries the public {@code advertisedV4} (RFC 8656 §7.2). A null family is not offered.
 */
public record RelayEndpoints(InetAddress bindV4, InetAddress advertisedV4, InetAddress bindV6,
        InetAddress advertisedV6) {

    /** Checks that each bound family has an advertised address of the same family. */
    public RelayEndpoints {
        if (bindV4 == null && bindV6 == null) {
            throw new IllegalArgumentException("relayAddress: none (expected: an IPv4 or IPv6 relay address)");
        }
        if (bindV4 != null && !(bindV4 instanceof Inet4Address && advertisedV4 instanceof Inet4Address)) {
            throw new IllegalArgumentException("relayAddress: IPv4 relay needs an IPv4 external address");
        }
        if (bindV6 != null && !(bindV6 instanceof Inet6Address && advertisedV6 instanceof Inet6Address)) {
            throw new IllegalArgumentException("relayAddress: IPv6 relay needs an IPv6 external address");
        }
    }

    /** Whether relays of this family are offered (otherwise 440 Address Family not Supported). */
    public boolean offers(boolean ipv6) {
        return (ipv6 ? bindV6 : bindV4) != null;
    }

    /** The address to bind a relay socket of the family to. */
    public InetSocketAddress bind(boolean ipv6, int port) {
        return new InetSocketAddress(ipv6 ? bindV6 : bindV4, port);
    }

    /** The relayed transport address advertised for a relay socket on {@code port}. */
    public InetSocketAddress advertised(boolean ipv6, int port) {
        return new InetSocketAddress(ipv6 ? advertisedV6 : advertisedV4, port);
    }

    /**
     * Where a peer named by a client (XOR-PEER-ADDRESS) is reached: on the advertised address of a family
     * whose relays bind to another concrete address, the server itself is meant (a static NAT maps one to
     * the other), so the bound address with the same port; any other peer as it is. Relay to relay thereby
     * goes through the host's own stack, not a NAT that may not hairpin (coturn maps its
     * {@code --external-ip public/private} pairs the same way).
     */
    public InetSocketAddress inward(InetSocketAddress peer) {
        InetAddress ip = peer.getAddress();
        if (translates(bindV4, advertisedV4) && advertisedV4.equals(ip)) {
            return new InetSocketAddress(bindV4, peer.getPort());
        }
        if (translates(bindV6, advertisedV6) && advertisedV6.equals(ip)) {
            return new InetSocketAddress(bindV6, peer.getPort());
        }
        return peer;
    }

    /**
     * How a peer's address is reported to a client (XOR-PEER-ADDRESS of a Data indication): the reverse of
     * {@link #inward}, so that a client sees another relay of this server as it was advertised.
     */
    public InetSocketAddress outward(InetSocketAddress source) {
        InetAddress ip = source.getAddress();
        if (translates(bindV4, advertisedV4) && bindV4.equals(ip)) {
            return new InetSocketAddress(advertisedV4, source.getPort());
        }
        if (translates(bindV6, advertisedV6) && bindV6.equals(ip)) {
            return new InetSocketAddress(advertisedV6, source.getPort());
        }
        return source;
    }

    /** Whether relays of a family bind to a concrete address other than the one advertised. */
    private static boolean translates(InetAddress bind, InetAddress advertised) {
        return bind != null && !bind.isAnyLocalAddress() && !bind.equals(advertised);
    }
}
