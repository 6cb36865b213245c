package dev.turnlab.server.admin;

import dev.turnlab.codec.HostPort;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The query of {@code GET /api/allocations}: filters by user, client address and relayed address, and a
 * page ({@code limit}, {@code offset}) of what they select, oldest first. An address filter is an IP
 * ({@code 192.0.2.1}, {@code ::1}) or an IP and port ({@code 192.0.2.1:50000}, {@code [::1]:50000}); names
 * are refused, so a query never waits for DNS.
 *
 * @param user the exact user name, or null for any
 * @param client the client address, or null for any
 * @param relayed a relayed address of the allocation, or null for any
 * @param limit the most allocations in one page, 1-1000
 * @param offset how many selected allocations to skip
 */
record AllocationQuery(String user, AddressFilter client, AddressFilter relayed, int limit, int offset) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Set<String> NAMES = Set.of("user", "client", "relayed", "limit", "offset");

    /** A page of the selected allocations and how many were selected in all. */
    record Page(int total, int limit, int offset, List<StatusSnapshot.AllocationStatus> allocations) {
    }

    /** The query of {@code parameters} (a decoded query string); a bad one throws with the reason. */
    static AllocationQuery parse(Map<String, List<String>> parameters) {
        for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
            if (!NAMES.contains(p.getKey())) {
                throw new IllegalArgumentException("unknown parameter: " + p.getKey() + " (expected: " + String.join(", ",
                        List.of("user", "client", "relayed", "limit", "offset")) + ")");
            }
            if (p.getValue().size() != 1) {
                throw new IllegalArgumentException(p.getKey() + ": given " + p.getValue().size() + " times (expected: once)");
            }
        }
        return new AllocationQuery(one(parameters, "user"), AddressFilter.parse("client", one(parameters, "client")),
                AddressFilter.parse("relayed", one(parameters, "relayed")),
                number(parameters, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT), number(parameters, "offset", 0, 0, Integer.MAX_VALUE));
    }

    /** The page of {@code all} (oldest first) that this query selects. */
    Page apply(List<StatusSnapshot.AllocationStatus> all) {
        List<StatusSnapshot.AllocationStatus> selected = all.stream().filter(this::selects).toList();
        int from = Math.min(offset, selected.size());
        int to = (int) Math.min((long) from + limit, selected.size());
        return new Page(selected.size(), limit, offset, selected.subList(from, to));
    }

    private boolean selects(StatusSnapshot.AllocationStatus a) {
        return (user == null || user.equals(a.username())) && (client == null || client.test(a.client()))
                && (relayed == null || a.relayed().stream().anyMatch(relayed));
    }

    private static String one(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null ? null : values.get(0);
    }

    private static int number(Map<String, List<String>> parameters, String name, int otherwise, int min, int max) {
        String text = one(parameters, name);
        if (text == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what was expected
        }
        throw new IllegalArgumentException(name + ": " + text + " (expected: an integer " + min + "-" + max + ")");
    }

    /** An IP address, and a port unless any port matches. */
    record AddressFilter(InetAddress address, int port) implements Predicate<InetSocketAddress> {

        static AddressFilter parse(String name, String text) {
            if (text == null) {
                return null;
            }
            String expected = name + ": " + text + " (expected: an IP address, or IP:PORT, e.g. 192.0.2.1:50000 or [::1]:50000)";
            HostPort hostPort;
            try {
                hostPort = HostPort.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(expected);
            }
            byte[] ip = NetUtil.createByteArrayFromIpAddressString(hostPort.host());
            if (ip == null) {
                throw new IllegalArgumentException(expected);
            }
            try {
                return new AddressFilter(InetAddress.getByAddress(ip), hostPort.hasPort() ? hostPort.port() : -1);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(expected);
            }
        }

        @Override
        public boolean test(InetSocketAddress a) {
            return address.equals(a.getAddress()) && (port < 0 || port == a.getPort());
        }
    }
}
