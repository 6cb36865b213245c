package dev.turnlab.server.relay;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * Where an address of this host can be reached from, by the IANA special-purpose registries that
 * {@link PeerPolicy} refuses peers by: the one classification the server uses to choose and describe the
 * address it advertises for wildcard relays. An IPv6 address that carries an IPv4 one (IPv4-mapped, NAT64,
 * 6to4) has the scope of that IPv4 address, as it has for peers.
 */
public enum AddressScope {
    /** 127.0.0.0/8, ::1: this host only. */
    LOOPBACK,
    /** 169.254.0.0/16, fe80::/10: this link only. */
    LINK_LOCAL,
    /**
     * Private networks: RFC 1918, shared address space 100.64.0.0/10 (carrier-grade NAT, RFC 6598), IPv6
     * unique-local fc00::/7 and site-local fec0::/10. Remote clients reach it only through a NAT.
     */
    PRIVATE,
    /** Documentation prefixes (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, 3fff::/20). */
    DOCUMENTATION,
    /** Any other special-purpose entry: "this network", multicast, benchmarking, reserved, ... */
    SPECIAL,
    /** In no special-purpose registry: reachable from the internet, as far as addresses tell. */
    GLOBAL;

    private static final Map<String, AddressScope> BY_PREFIX = Map.ofEntries(
            Map.entry("127.0.0.0/8", LOOPBACK), Map.entry("::1/128", LOOPBACK),
            Map.entry("169.254.0.0/16", LINK_LOCAL), Map.entry("fe80::/10", LINK_LOCAL),
            Map.entry("10.0.0.0/8", PRIVATE), Map.entry("172.16.0.0/12", PRIVATE), Map.entry("192.168.0.0/16", PRIVATE),
            Map.entry("100.64.0.0/10", PRIVATE), Map.entry("fc00::/7", PRIVATE), Map.entry("fec0::/10", PRIVATE),
            Map.entry("192.0.2.0/24", DOCUMENTATION), Map.entry("198.51.100.0/24", DOCUMENTATION),
            Map.entry("203.0.113.0/24", DOCUMENTATION), Map.entry("2001:db8::/32", DOCUMENTATION),
            Map.entry("3fff::/20", DOCUMENTATION));

    /** The scope of {@code ip}: that of the first registry entry holding it, else {@link #GLOBAL}. */
    public static AddressScope of(InetAddress ip) {
        byte[] a = ip.getAddress();
        byte[] embedded = PeerPolicy.embeddedIpv4(a);
        byte[] effective = embedded != null ? embedded : a;
        List<PeerRule> registry = effective.length == 16 ? PeerPolicy.SPECIAL_IPV6_RULES : PeerPolicy.SPECIAL_IPV4_RULES;
        for (PeerRule entry : registry) {
            if (entry.prefix().contains(effective)) {
                return BY_PREFIX.getOrDefault(entry.prefix().toString(), SPECIAL);
            }
        }
        return GLOBAL;
    }
}
