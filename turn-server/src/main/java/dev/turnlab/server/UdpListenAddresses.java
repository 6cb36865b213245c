package dev.turnlab.server;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The addresses the UDP listeners bind to. A wildcard listening address stands for every address of this
 * host that is up when the server starts, as coturn listens without {@code listening-ip}: a UDP socket bound
 * to a concrete address knows the address its clients reached, for the log lines, {@code /status} and the
 * capture, and its answers leave from that address whatever the routing table says. Asking the kernel for
 * each datagram's destination instead ({@code IP_RECVORIGDSTADDR}) would build an address object for every
 * datagram, ChannelData included. TCP and TLS keep the wildcard: an accepted connection has its own address.
 */
final class UdpListenAddresses {

    private UdpListenAddresses() {
    }

    /**
     * For each listening address in order, the addresses its UDP sockets bind to: a concrete one itself; a
     * wildcard the {@code local} addresses it stands for that no other listening address already covers,
     * each at most once. {@code 0.0.0.0} stands for the IPv4 addresses; {@code ::} for the IPv6 ones and the
     * IPv4 ones as well, since the wildcard socket it replaces was dual-stack. Loopback comes first in each
     * family; IPv6 link-local addresses are left out (they would need a scope per interface).
     */
    static List<List<InetAddress>> of(List<InetAddress> listen, List<InetAddress> local) {
        Set<InetAddress> taken = new HashSet<>();
        for (InetAddress a : listen) {
            if (!a.isAnyLocalAddress()) {
                taken.add(a);
            }
        }
        List<List<InetAddress>> result = new ArrayList<>(listen.size());
        for (InetAddress a : listen) {
            if (!a.isAnyLocalAddress()) {
                result.add(List.of(a));
                continue;
            }
            Set<InetAddress> chosen = new LinkedHashSet<>();
            if (a instanceof Inet6Address) {
                addFamily(chosen, local, Inet6Address.class);
            }
            addFamily(chosen, local, Inet4Address.class);
            chosen.removeAll(taken);
            taken.addAll(chosen);
            result.add(List.copyOf(chosen));
        }
        return result;
    }

    private static void addFamily(Set<InetAddress> chosen, List<InetAddress> local, Class<? extends InetAddress> family) {
        for (boolean loopback : new boolean[] {true, false}) {
            for (InetAddress a : local) {
                if (family.isInstance(a) && a.isLoopbackAddress() == loopback && !a.isLinkLocalAddress()
                        && !a.isAnyLocalAddress() && !a.isMulticastAddress()) {
                    chosen.add(withoutScope(a));
                }
            }
        }
    }

    /** The addresses of the interfaces that are up now, in the order the system lists them. */
    static List<InetAddress> local() {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nif.isUp()) {
                    addresses.addAll(Collections.list(nif.getInetAddresses()));
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list the network interfaces: " + e.getMessage(), e);
        }
        return addresses;
    }

    /** {@code fd00::2}, not {@code fd00:0:0:0:0:0:0:2%eth0}: a global address needs no scope, and logs read better. */
    private static InetAddress withoutScope(InetAddress a) {
        if (a instanceof Inet6Address) {
            try {
                return InetAddress.getByAddress(a.getAddress());
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
        return a;
    }
}
