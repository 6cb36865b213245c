package dev.turnlab.server.allocation;

import io.netty.channel.Channel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One relayed transport address of an allocation (RFC 8656 §2.2): the bound UDP socket and the address
 * advertised for it. A dual-stack allocation (ADDITIONAL-ADDRESS-FAMILY, §7.2) has one per family.
 */
public record Relay(Channel channel, InetSocketAddress relayedAddress) {

    /** Whether this relay serves peers of {@code peer}'s address family (RFC 8656 §9.2: else 443). */
    public boolean serves(InetAddress peer) {
        return peer instanceof Inet6Address == relayedAddress.getAddress() instanceof Inet6Address;
    }
}
