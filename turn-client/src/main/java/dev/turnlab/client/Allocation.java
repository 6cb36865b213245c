package dev.turnlab.client;

import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.MappedAddress;
import dev.turnlab.codec.attribute.XorMappedAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * A successful Allocate (RFC 8656 §7.3): the relayed transport address peers send to, the client's
 * server-reflexive address, and the lifetime the server granted.
 *
 * @param relayedAddress XOR-RELAYED-ADDRESS
 * @param mappedAddress XOR-MAPPED-ADDRESS
 * @param lifetime LIFETIME
 */
public record Allocation(InetSocketAddress relayedAddress, InetSocketAddress mappedAddress, Duration lifetime) {

    /** Checks that the addresses and the lifetime are present. */
    public Allocation {
        Objects.requireNonNull(relayedAddress, "relayedAddress");
        Objects.requireNonNull(mappedAddress, "mappedAddress");
        Objects.requireNonNull(lifetime, "lifetime");
    }

    /** XOR-MAPPED-ADDRESS of {@code response}, or MAPPED-ADDRESS from an RFC 3489 server, or null. */
    static InetSocketAddress mappedAddress(StunMessage response) {
        XorMappedAddress xor = response.get(XorMappedAddress.class);
        if (xor != null) {
            return xor.address();
        }
        MappedAddress plain = response.get(MappedAddress.class);
        return plain != null ? plain.address() : null;
    }
}
