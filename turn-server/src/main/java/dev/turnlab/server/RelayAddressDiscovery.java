package dev.turnlab.server;

import dev.turnlab.server.relay.AddressScope;
import dev.turnlab.server.relay.RelayEndpoints;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, per address family, where relay sockets bind and which address XOR-RELAYED-ADDRESS advertises
 * for them (RFC 8656 §7.2). Relays bind to the configured relay address, else to the listening address
 * (a wildcard included); they are advertised as the configured external address, else as the bound
 * address, else, for a wildcard, as this host's best address of the family ({@link #hostAddress}). A
 * family with nothing to advertise has no relays. {@link RelayAdvertisement} tells the operator the outcome.
 */
final class RelayAddressDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(RelayAddressDiscovery.class);

    private RelayAddressDiscovery() {
    }

    /** The relay endpoints of {@code relay} for a server listening on {@code listen}, on this host. */
    static RelayEndpoints endpoints(RelayConfig relay, List<InetAddress> listen) {
        return endpoints(relay, listen, RelayAddressDiscovery::hostAddress);
    }

    /** The relay endpoints, with {@code host} giving this host's address of a family (or null). */
    static RelayEndpoints endpoints(RelayConfig relay, List<InetAddress> listen,
            Function<Class<? extends InetAddress>, InetAddress> host) {
        InetAddress bindV4 = pick(relay.relayAddresses(), Inet4Address.class);
        InetAddress bindV6 = pick(relay.relayAddresses(), Inet6Address.class);
        if (bindV4 == null && bindV6 == null) {
            // The relay address defaults to the listening address (wildcard included).
            bindV4 = pick(listen, Inet4Address.class);
            bindV6 = pick(listen, Inet6Address.class);
        }
        InetAddress advertisedV4 = pick(relay.externalAddresses(), Inet4Address.class);
        InetAddress advertisedV6 = pick(relay.externalAddresses(), Inet6Address.class);
        if (advertisedV4 == null && bindV4 != null) {
            advertisedV4 = bindV4.isAnyLocalAddress() ? host.apply(Inet4Address.class) : bindV4;
        }
        if (advertisedV6 == null && bindV6 != null) {
            advertisedV6 = bindV6.isAnyLocalAddress() ? host.apply(Inet6Address.class) : bindV6;
        }
        if (bindV6 != null && advertisedV6 == null) {
            bindV6 = null; // no usable IPv6 address on this host
        }
        return new RelayEndpoints(bindV4, advertisedV4, bindV6, advertisedV6);
    }

    /** The first global (else private or other special, else loopback) address of the family on an interface that is up. */
    static InetAddress hostAddress(Class<? extends InetAddress> family) {
        List<InetAddress> up = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nif.isUp()) {
                    up.addAll(Collections.list(nif.getInetAddresses()));
                }
            }
        } catch (SocketException e) {
            LOG.debug("cannot list interfaces: {}", e.toString());
        }
        return hostAddress(family, up);
    }

    /**
     * Of {@code addresses} (those of the interfaces that are up, in the system's order), the first global
     * one of the family, else the first other one that is not link-local, else the first loopback one; or null.
     */
    static InetAddress hostAddress(Class<? extends InetAddress> family, List<InetAddress> addresses) {
        InetAddress siteLocal = null;
        InetAddress loopback = null;
        for (InetAddress a : addresses) {
            AddressScope scope = AddressScope.of(a);
            if (!family.isInstance(a) || scope == AddressScope.LINK_LOCAL) {
                continue;
            }
            if (scope == AddressScope.LOOPBACK) {
                loopback = loopback == null ? a : loopback;
            } else if (scope != AddressScope.GLOBAL) {
                siteLocal = siteLocal == null ? a : siteLocal;
            } else {
                return a;
            }
        }
        return siteLocal != null ? siteLocal : loopback;
    }

    private static InetAddress pick(List<InetAddress> addresses, Class<? extends InetAddress> family) {
        for (InetAddress a : addresses) {
            if (family.isInstance(a)) {
                return a;
            }
        }
        return null;
    }
}
