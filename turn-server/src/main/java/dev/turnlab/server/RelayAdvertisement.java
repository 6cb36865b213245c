package dev.turnlab.server;

import dev.turnlab.server.relay.AddressScope;
import dev.turnlab.server.relay.RelayEndpoints;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where the relays of one address family are bound and the address XOR-RELAYED-ADDRESS advertises for
 * them (RFC 8656 §7.2), and how that address was chosen: what the start-up line tells an operator, since
 * a relayed address clients cannot reach is the Expressway-E's "relay ports blocked" failure in disguise.
 *
 * @param bound the address relay sockets bind to (a wildcard binds every local address)
 * @param advertised the address clients are given
 * @param origin how {@code advertised} was chosen
 */
public record RelayAdvertisement(InetAddress bound, InetAddress advertised, Origin origin) {

    /** How the advertised address was chosen. */
    public enum Origin {
        /** Configured with {@code --external-address} (a static NAT's public address). */
        EXTERNAL_ADDRESS("configured --external-address"),
        /** The concrete relay address itself. */
        BOUND_ADDRESS("the bound address"),
        /**
         * The relays bind to a wildcard: the host's first global, else other non-link-local, else loopback
         * address (by {@link AddressScope}).
         */
        HOST_ADDRESS("discovered host address");

        private final String text;

        Origin(String text) {
            this.text = text;
        }
    }

    /** Checks that nothing is missing. */
    public RelayAdvertisement {
        Objects.requireNonNull(bound, "bound");
        Objects.requireNonNull(advertised, "advertised");
        Objects.requireNonNull(origin, "origin");
    }

    /** The relays of each family {@code endpoints} offers (IPv4 first), given the configured external addresses. */
    static List<RelayAdvertisement> of(RelayEndpoints endpoints, List<InetAddress> externalAddresses) {
        List<RelayAdvertisement> relays = new ArrayList<>(2);
        if (endpoints.bindV4() != null) {
            relays.add(of(endpoints.bindV4(), endpoints.advertisedV4(), externalAddresses));
        }
        if (endpoints.bindV6() != null) {
            relays.add(of(endpoints.bindV6(), endpoints.advertisedV6(), externalAddresses));
        }
        return relays;
    }

    private static RelayAdvertisement of(InetAddress bound, InetAddress advertised, List<InetAddress> external) {
        Origin origin = external.contains(advertised) ? Origin.EXTERNAL_ADDRESS
                : bound.isAnyLocalAddress() ? Origin.HOST_ADDRESS : Origin.BOUND_ADDRESS;
        return new RelayAdvertisement(bound, advertised, origin);
    }

    /**
     * Every family's relays on {@code ports}, for the start-up line: {@code 0.0.0.0:24000-29999 advertised as
     * 198.51.100.7 (configured --external-address), [::]:24000-29999 advertised as 2001:db8::7 (discovered
     * host address)}.
     */
    public static String describe(List<RelayAdvertisement> relays, PortRange ports) {
        StringBuilder s = new StringBuilder();
        for (RelayAdvertisement r : relays) {
            s.append(s.length() == 0 ? "" : ", ").append(r.describe(ports));
        }
        return s.toString();
    }

    /** This family's relays on {@code ports}, e.g. {@code 0.0.0.0:24000-29999 advertised as 198.51.100.7 (...)}. */
    public String describe(PortRange ports) {
        String host = NetUtil.toAddressString(bound);
        return (bound instanceof Inet6Address ? "[" + host + "]" : host) + ":" + ports + " advertised as "
                + NetUtil.toAddressString(advertised) + " (" + origin.text + scope() + ")";
    }

    /** For a discovered address, whether it is one remote clients are unlikely to reach. */
    private String scope() {
        if (origin != Origin.HOST_ADDRESS) {
            return "";
        }
        return switch (AddressScope.of(advertised)) {
            case LOOPBACK -> ", loopback: no other address is up";
            case LINK_LOCAL -> ", link-local";
            case PRIVATE -> ", private";
            case DOCUMENTATION -> ", documentation";
            case SPECIAL -> ", special-purpose";
            case GLOBAL -> "";
        };
    }
}
