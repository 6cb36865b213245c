package dev.turnlab.server.relay;

import dev.turnlab.server.Cidr;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which peers a client may relay to (RFC 8656 §21.2.3, §9.1), judged in this order:
 * <ol>
 * <li>The server's listening sockets (UDP, TCP, TLS and the admin HTTP port) are never peers, whatever the
 * configuration: relaying to them would let a client speak to the server from the server's own address.
 * <li>A relay port (in the relay range, or open now) on a relay or advertised address is a peer only while
 * a live allocation holds it in that address family: relay to relay is ICE's relay-relay pair (a browser and
 * a Cisco Meeting Server on one Expressway-E; two clients behind restrictive NATs). Such a peer is allowed
 * even on a loopback or private address, without {@code allowLoopbackPeers}: the special-purpose rules keep
 * clients away from the server's networks and services, and a live relay socket is neither; it delivers
 * only to its own client, and only from peers that client gave a permission. (coturn 4.6 has no such
 * exception: it checks its own relays like any peer, so on loopback it needs {@code --allow-loopback-peers}
 * and behind {@code denied-peer-ip} ranges covering its relay address relay to relay fails.) An explicit
 * deny rule that is not overridden by an allow rule still refuses it. A relay port nobody holds, or a
 * wildcard destination, is refused: it is the server itself, or a later allocation's.
 * <li>Otherwise allow rules win over deny rules, which win over the defaults: special-purpose addresses
 * (IANA registries for IPv4 and IPv6: loopback, private, link-local, multicast, documentation, ...) are
 * refused unless allowed, so that the relay cannot be used to reach the server's own networks.
 * </ol>
 * Peers are judged after {@link RelayEndpoints#inward} has mapped this server's advertised address to the
 * relay address. A permission is per IP address (RFC 8656 §9), so the port matters only for ChannelBind and
 * for each Send indication, which are judged with it; a permission installed for a live relay lets data
 * from any port of that address in, as it would for any peer. When an allocation goes, its port is refused
 * again at once, but a channel already bound to it is not re-judged per datagram (the ChannelData path
 * stays free of look-ups): until the binding expires its data reaches nothing, or a later allocation on
 * that port, whose client accepts it only with a permission for this server's relay address, as from any
 * peer on it (coturn does the same).
 */
public final class PeerPolicy {

    /**
     * The IANA IPv4 Special-Purpose Address Registry (RFC 6890 and its updates), every entry whether or not
     * IANA calls it globally reachable, plus multicast (RFC 5771) and the limited broadcast (in 240/4, so
     * listed before it: the first matching entry names the refusal).
     */
    static final List<PeerRule> SPECIAL_IPV4_RULES = List.of(
            PeerRule.specialPurpose("0.0.0.0/8", "\"this network\", RFC 791"),
            PeerRule.specialPurpose("10.0.0.0/8", "private, RFC 1918"),
            PeerRule.specialPurpose("100.64.0.0/10", "shared address space, RFC 6598"),
            PeerRule.specialPurpose("127.0.0.0/8", "loopback, RFC 1122"),
            PeerRule.specialPurpose("169.254.0.0/16", "link-local, RFC 3927"),
            PeerRule.specialPurpose("172.16.0.0/12", "private, RFC 1918"),
            PeerRule.specialPurpose("192.0.0.0/24", "IETF protocol assignments, RFC 6890"),
            PeerRule.specialPurpose("192.0.2.0/24", "documentation, RFC 5737"),
            PeerRule.specialPurpose("192.88.99.0/24", "6to4 relay anycast, RFC 7526"),
            PeerRule.specialPurpose("192.168.0.0/16", "private, RFC 1918"),
            PeerRule.specialPurpose("198.18.0.0/15", "benchmarking, RFC 2544"),
            PeerRule.specialPurpose("198.51.100.0/24", "documentation, RFC 5737"),
            PeerRule.specialPurpose("203.0.113.0/24", "documentation, RFC 5737"),
            PeerRule.specialPurpose("224.0.0.0/4", "multicast, RFC 5771"),
            PeerRule.specialPurpose("255.255.255.255/32", "limited broadcast, RFC 919"),
            PeerRule.specialPurpose("240.0.0.0/4", "reserved, RFC 1112"));
    /**
     * The IANA IPv6 Special-Purpose Address Registry, less the three prefixes that embed an IPv4 address and
     * are judged by it (::ffff:0:0/96, 64:ff9b::/96, 2002::/16); plus the deprecated IPv4-compatible ::/96
     * (after the unspecified and loopback addresses it contains) and site-local fec0::/10, the local-use
     * NAT64 prefix 64:ff9b:1::/48, the documentation prefix 3fff::/20 (RFC 9637), SRv6 SIDs 5f00::/16 and
     * multicast ff00::/8.
     */
    static final List<PeerRule> SPECIAL_IPV6_RULES = List.of(
            PeerRule.specialPurpose("::/128", "unspecified, RFC 4291"),
            PeerRule.specialPurpose("::1/128", "loopback, RFC 4291"),
            PeerRule.specialPurpose("::/96", "IPv4-compatible, deprecated, RFC 4291"),
            PeerRule.specialPurpose("64:ff9b:1::/48", "local-use IPv4/IPv6 translation, RFC 8215"),
            PeerRule.specialPurpose("100::/64", "discard-only, RFC 6666"),
            PeerRule.specialPurpose("2001::/23", "IETF protocol assignments, RFC 2928"),
            PeerRule.specialPurpose("2001:db8::/32", "documentation, RFC 3849"),
            PeerRule.specialPurpose("3fff::/20", "documentation, RFC 9637"),
            PeerRule.specialPurpose("5f00::/16", "SRv6 SIDs, RFC 9602"),
            PeerRule.specialPurpose("fc00::/7", "unique-local, RFC 4193"),
            PeerRule.specialPurpose("fe80::/10", "link-local, RFC 4291"),
            PeerRule.specialPurpose("fec0::/10", "site-local, deprecated, RFC 3879"),
            PeerRule.specialPurpose("ff00::/8", "multicast, RFC 4291"));
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
    private static final Cidr LOOPBACK_V4 = Cidr.parse("127.0.0.0/8");
    private static final Cidr LOOPBACK_V6 = Cidr.parse("::1/128");

    /** What the policy decided about a peer, for the caller to answer and count. */
    public enum Verdict {
        /** A peer the rules permit. */
        PERMITTED,
        /** A relay socket a live allocation of this server holds: relay to relay, permitted. */
        OWN_RELAY,
        /** A listening socket of this server, or a relay port no live allocation holds: refused. */
        SERVER_SOCKET,
        /** Refused by a deny rule or the special-purpose registries. */
        DENIED;

        /** Whether a permission, channel or Send indication to the peer may go ahead. */
        public boolean permitted() {
            return this == PERMITTED || this == OWN_RELAY;
        }
    }

    private final boolean allowLoopback;
    private final List<PeerRule> localAllowed;
    private final List<PeerRule> localDenied;
    // The local rules followed by the cluster's (Redis), replaced when those are read again.
    /** The allow and deny rules in force, replaced together so that a judgement never mixes two sets. */
    private volatile Rules rules;
    // Set once the listeners are bound (port 0 is only known then); read on every permission request.
    private volatile List<PeerRule> ownSockets;
    // The addresses relay sockets bind to and are advertised on, and the configured relay port range.
    private volatile List<InetAddress> relayAddresses = List.of();
    private volatile int relayMin = 1;
    private volatile int relayMax = 0;
    // The host's own addresses, for a wildcard listener or relay: traffic to any of them reaches it. A snapshot
    // (see refreshHostAddresses), because asking the interfaces costs some 30 us, too much per Send indication.
    private volatile Set<InetAddress> hostAddresses = Set.of();
    private volatile boolean wildcards;
    // Relay sockets open now, one bit per family and port (see key): an injected port allocator may hand out
    // ports outside the range, and a single-family allocation leaves the port free in the other family. A
    // bitmap, not a set of boxed ports, so that judging a Send indication allocates nothing.
    private final AtomicLongArray heldRelayPorts = new AtomicLongArray(2 * 65536 / 64);

    /**
     * A policy: {@code allowed} prefixes win over {@code denied} ones, which win over the defaults;
     * {@code ownSockets} (the server's bound listening sockets, wildcards included) are always refused.
     */
    public PeerPolicy(boolean allowLoopback, List<Cidr> allowed, List<Cidr> denied, Set<InetSocketAddress> ownSockets) {
        this.allowLoopback = allowLoopback;
        this.localAllowed = allowed.stream().map(PeerRule::allowPeer).toList();
        this.localDenied = denied.stream().map(PeerRule::denyPeer).toList();
        this.rules = new Rules(localAllowed, localDenied);
        ownSockets(ownSockets);
    }

    /**
     * Sets the cluster's peer rules (coturn's {@code allowed-peer-ip} and {@code denied-peer-ip} sets in
     * Redis), merged with the local ones: an allow rule of either wins over a deny rule of either.
     */
    public void sharedRules(List<Cidr> sharedAllowed, List<Cidr> sharedDenied) {
        List<PeerRule> a = new ArrayList<>(localAllowed);
        sharedAllowed.forEach(c -> a.add(PeerRule.sharedAllowPeer(c)));
        List<PeerRule> d = new ArrayList<>(localDenied);
        sharedDenied.forEach(c -> d.add(PeerRule.sharedDenyPeer(c)));
        this.rules = new Rules(List.copyOf(a), List.copyOf(d));
    }

    /** The explicit rules: allow before deny. */
    private record Rules(List<PeerRule> allowed, List<PeerRule> denied) {
    }

    /** Records the server's listening sockets (TURN listeners and the admin HTTP port) once they are bound. */
    public void ownSockets(Set<InetSocketAddress> sockets) {
        this.ownSockets = sockets.stream().map(PeerRule::ownListener).toList();
        if (sockets.stream().anyMatch(s -> s.getAddress().isAnyLocalAddress())) {
            wildcards = true;
            refreshHostAddresses();
        }
    }

    /**
     * Records where relay sockets live: the addresses they bind to and are advertised on (wildcards
     * included) and the relay port range {@code minPort}-{@code maxPort}.
     */
    public void relaySockets(Set<InetAddress> addresses, int minPort, int maxPort) {
        this.relayAddresses = List.copyOf(addresses);
        this.relayMin = minPort;
        this.relayMax = maxPort;
        if (addresses.stream().anyMatch(InetAddress::isAnyLocalAddress)) {
            wildcards = true;
            refreshHostAddresses();
        }
    }

    /**
     * Takes a new snapshot of the host's addresses, which a wildcard listener or relay socket is reached on:
     * the server's sweep calls this once a second, so an address added to an interface is recognised as the
     * server's own within a second. Does nothing while no wildcard socket is recorded.
     */
    public void refreshHostAddresses() {
        if (wildcards) {
            hostAddresses(HostAddresses.snapshot());
        }
    }

    /** Replaces the snapshot of the host's addresses (for tests: addresses the test host may not have). */
    void hostAddresses(Set<InetAddress> addresses) {
        this.hostAddresses = Set.copyOf(addresses);
    }

    /** Records that a live allocation holds the relay socket {@code relayed} (its family and port count). */
    public void relayOpened(InetSocketAddress relayed) {
        int key = key(relayed.getAddress(), relayed.getPort());
        heldRelayPorts.getAndAccumulate(key >>> 6, 1L << key, (bits, bit) -> bits | bit);
    }

    /** Records that the relay socket {@code relayed} closed: its port is nobody's peer until held again. */
    public void relayClosed(InetSocketAddress relayed) {
        int key = key(relayed.getAddress(), relayed.getPort());
        heldRelayPorts.getAndAccumulate(key >>> 6, ~(1L << key), (bits, mask) -> bits & mask);
    }

    private boolean isHeld(InetAddress ip, int port) {
        int key = key(ip, port);
        return (heldRelayPorts.get(key >>> 6) & 1L << key) != 0;
    }

    /** Whether a permission or channel to {@code peer} may be installed; see {@link #rule}. */
    boolean permits(InetSocketAddress peer) {
        return judge(peer).permitted();
    }

    /** What may happen with {@code peer}; see {@link #rule}. */
    Verdict judge(InetSocketAddress peer) {
        return rule(peer).verdict();
    }

    /**
     * The rule that decides about {@code peer}, in the order of the class comment; its verdict says what may
     * happen, the rule itself names a refusal for its log line. Checked for every Send indication, so ports
     * are compared before addresses, and a wildcard socket's addresses are those of the last snapshot (see
     * {@link #refreshHostAddresses}), never looked up. Every rule exists before it is returned: judging
     * allocates only one copy of the address's bytes where a prefix decides (24 bytes for IPv4), and the IPv4
     * address an IPv6 peer may carry.
     */
    public PeerRule rule(InetSocketAddress peer) {
        InetAddress ip = unmapped(peer.getAddress());
        int port = peer.getPort();
        List<PeerRule> listeners = ownSockets;
        for (int i = 0; i < listeners.size(); i++) {
            InetSocketAddress own = listeners.get(i).socket();
            if (own.getPort() == port && isAddressOf(own.getAddress(), ip)) {
                return listeners.get(i);
            }
        }
        boolean held = isHeld(ip, port);
        if ((held || port >= relayMin && port <= relayMax) && isRelayAddress(ip)) {
            if (!held) {
                return PeerRule.UNHELD_RELAY_PORT;
            }
            if (ip.isAnyLocalAddress()) {
                return PeerRule.WILDCARD_RELAY;
            }
            PeerRule deny = denyingRule(peer.getAddress());
            return deny != null ? deny : PeerRule.OWN_RELAY;
        }
        return byRules(peer.getAddress());
    }

    /** The explicit deny rule that matches {@code ip} and is not overridden by an allow rule, or null. */
    private PeerRule denyingRule(InetAddress ip) {
        byte[] a = ip.getAddress();
        byte[] embedded = embeddedIpv4(a);
        Rules r = rules;
        return first(r.allowed(), a, embedded) != null ? null : first(r.denied(), a, embedded);
    }

    private boolean isRelayAddress(InetAddress ip) {
        List<InetAddress> addresses = relayAddresses;
        for (int i = 0; i < addresses.size(); i++) {
            if (isAddressOf(addresses.get(i), ip)) {
                return true;
            }
        }
        return false;
    }

    /** The held-port key: the port, with bit 16 set for IPv6. */
    private static int key(InetAddress ip, int port) {
        return unmapped(ip) instanceof Inet6Address ? port | 0x10000 : port;
    }

    /**
     * The allow, deny and special-purpose rules for {@code ip}. An IPv6 address that carries an IPv4 one
     * (IPv4-mapped, NAT64 64:ff9b::/96, 6to4 2002::/16) is judged by the IPv4 address it reaches: a rule
     * matching either the IPv6 address or the embedded IPv4 one applies, allow before deny, and the
     * special-purpose registries are applied to the embedded address.
     */
    private PeerRule byRules(InetAddress ip) {
        // The one copy of the address's bytes a judgement makes: InetAddress has no way to read them in place.
        byte[] a = ip.getAddress();
        byte[] embedded = embeddedIpv4(a);
        Rules r = rules;
        PeerRule explicit = first(r.allowed(), a, embedded);
        if (explicit == null) {
            explicit = first(r.denied(), a, embedded);
        }
        if (explicit != null) {
            return explicit;
        }
        byte[] effective = embedded != null ? embedded : a;
        if (allowLoopback && (LOOPBACK_V4.contains(effective) || LOOPBACK_V6.contains(effective))) {
            return PeerRule.ALLOW_LOOPBACK;
        }
        PeerRule special = first(effective.length == 16 ? SPECIAL_IPV6_RULES : SPECIAL_IPV4_RULES, effective, null);
        return special != null ? special : PeerRule.UNRESTRICTED;
    }

    /** The first of {@code rules} whose prefix holds {@code a} or else {@code embedded} (when not null), or null. */
    private static PeerRule first(List<PeerRule> rules, byte[] a, byte[] embedded) {
        for (int i = 0; i < rules.size(); i++) {
            Cidr prefix = rules.get(i).prefix();
            if (prefix.contains(a) || embedded != null && prefix.contains(embedded)) {
                return rules.get(i);
            }
        }
        return null;
    }

    /**
     * The four bytes of the IPv4 address that the address {@code a} carries, or null: the last 32 bits of an
     * IPv4-mapped (RFC 4291 §2.5.5.2) or NAT64 well-known-prefix address (RFC 6052 §2.1), bits 16-47 of a
     * 6to4 address (RFC 3056 §2).
     */
    static byte[] embeddedIpv4(byte[] a) {
        if (a.length != 16) {
            return null;
        }
        int offset;
        // Java turns most IPv4-mapped addresses into Inet4Address already; Inet6Address.getByAddress does not.
        if (isMapped(a) || NAT64.contains(a)) {
            offset = 12;
        } else if (SIX_TO_FOUR.contains(a)) {
            offset = 2;
        } else {
            return null;
        }
        return new byte[] {a[offset], a[offset + 1], a[offset + 2], a[offset + 3]};
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

    /** Whether traffic sent to {@code ip} reaches a socket bound to {@code own}. */
    private boolean isAddressOf(InetAddress own, InetAddress ip) {
        // A wildcard destination is the host itself (Linux delivers 0.0.0.0 and :: to loopback).
        if (own.equals(ip) || ip.isAnyLocalAddress()) {
            return true;
        }
        return own.isAnyLocalAddress() && (isLoopback(ip) || hostAddresses.contains(ip));
    }

    /**
     * Whether {@code ip} is a loopback address (127.0.0.0/8, ::1) without copying its bytes, which
     * Inet4Address.isLoopbackAddress does: an Inet4Address's hash code is its address (OpenJDK, since 1.0).
     */
    private static boolean isLoopback(InetAddress ip) {
        return ip instanceof Inet4Address ? ip.hashCode() >>> 24 == 127 : ip.isLoopbackAddress();
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
