package dev.turnlab.server;

import dev.turnlab.server.allocation.Lifetimes;
import dev.turnlab.server.Cidr;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link TurnServer}'s relays are (RFC 8656 §7.2): their ports and addresses, the address advertised
 * for them, which peers they may reach (§21.2.3) and how long allocations, permissions and channels live.
 * Validated when constructed.
 *
 * @param ports the relay port range
 * @param relayAddresses the addresses relay sockets bind to, at most one per family (none: the listening ones)
 * @param externalAddresses the advertised (static NAT) addresses, at most one per family (none: discovered)
 * @param allowLoopbackPeers whether peers on 127.0.0.0/8 and ::1 are allowed
 * @param allowedPeers prefixes allowed, overriding the special-purpose and denied ones
 * @param deniedPeers prefixes denied
 * @param lifetimes the allocation, permission and channel timers
 * @param tcpRelays whether an Allocate over TCP or TLS may ask for a TCP relay (RFC 6062); without, it gets 442
 */
public record RelayConfig(PortRange ports, List<InetAddress> relayAddresses, List<InetAddress> externalAddresses,
        boolean allowLoopbackPeers, List<Cidr> allowedPeers, List<Cidr> deniedPeers, Lifetimes lifetimes,
        boolean tcpRelays) {

    /** Validates every component and copies the lists. */
    public RelayConfig {
        Objects.requireNonNull(ports, "relayPorts");
        relayAddresses = List.copyOf(relayAddresses);
        externalAddresses = List.copyOf(externalAddresses);
        allowedPeers = List.copyOf(allowedPeers);
        deniedPeers = List.copyOf(deniedPeers);
        Objects.requireNonNull(lifetimes, "lifetimes");
        checkFamilies("relayAddress", relayAddresses);
        checkFamilies("externalAddress", externalAddresses);
        for (InetAddress a : externalAddresses) {
            if (a.isAnyLocalAddress()) {
                throw new IllegalArgumentException("externalAddress: " + a.getHostAddress() + " (expected: a concrete address)");
            }
        }
    }

    private static void checkFamilies(String what, List<InetAddress> addresses) {
        if (addresses.stream().filter(a -> a instanceof Inet4Address).count() > 1
                || addresses.stream().filter(a -> a instanceof Inet6Address).count() > 1) {
            throw new IllegalArgumentException(what + ": " + addresses + " (expected: at most one per address family)");
        }
        for (InetAddress a : addresses) {
            if (a.isMulticastAddress()) {
                throw new IllegalArgumentException(what + ": " + a.getHostAddress() + " (expected: a unicast address)");
            }
        }
    }
}
