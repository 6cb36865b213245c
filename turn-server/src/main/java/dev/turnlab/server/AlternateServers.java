package dev.turnlab.server;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The servers a full or draining {@link TurnServer} sends new allocations to with 300 Try Alternate and
 * ALTERNATE-SERVER (RFC 8489 §10, RFC 8656 §7.2), in turn. Validated when constructed.
 *
 * @param addresses the alternates, each a resolved, specific address with a port; empty for none
 */
public record AlternateServers(List<InetSocketAddress> addresses) {

    /** No alternates: a full server answers 486 or 508, a draining one 508. */
    public static final AlternateServers NONE = new AlternateServers(List.of());

    /** Validates and copies {@code addresses}. */
    public AlternateServers {
        addresses = List.copyOf(Objects.requireNonNull(addresses, "alternateServers"));
        addresses.forEach(AlternateServers::check);
        if (new HashSet<>(addresses).size() != addresses.size()) {
            throw new IllegalArgumentException("alternateServer: " + addresses + " (expected: each address once)");
        }
    }

    /** These alternates and {@code address} after them. */
    public AlternateServers with(InetSocketAddress address) {
        List<InetSocketAddress> all = new java.util.ArrayList<>(addresses);
        all.add(check(address));
        return new AlternateServers(all);
    }

    static InetSocketAddress check(InetSocketAddress address) {
        return check(address, "alternateServer");
    }

    /** Checks that {@code address}, the setting {@code name}, is one a client can be sent to. */
    static InetSocketAddress check(InetSocketAddress address, String name) {
        Objects.requireNonNull(address, name);
        if (address.isUnresolved() || address.getAddress().isAnyLocalAddress() || address.getPort() == 0) {
            throw new IllegalArgumentException(name + ": " + address
                    + " (expected: a specific IP address and a port, HOST:PORT)");
        }
        return address;
    }
}
