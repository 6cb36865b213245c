package dev.turnlab.client;

import dev.turnlab.codec.attribute.RequestedTransport;

/**
 * The transport of the relay between the server and the peers, asked for with REQUESTED-TRANSPORT in
 * Allocate (RFC 8656 §7.1): UDP, which every TURN server relays, or TCP (RFC 6062), which needs a TCP or
 * TLS connection to the server.
 */
public enum RelayTransport {
    /** A UDP relay (RFC 8656): data to and from peers in Send and Data indications or ChannelData. */
    UDP(RequestedTransport.UDP),
    /** A TCP relay (RFC 6062): one TCP connection per peer, each carried by a {@link DataConnection}. */
    TCP(RequestedTransport.TCP);

    private final RequestedTransport attribute;

    RelayTransport(RequestedTransport attribute) {
        this.attribute = attribute;
    }

    /** The REQUESTED-TRANSPORT attribute that asks for this relay (protocol 17 or 6). */
    public RequestedTransport attribute() {
        return attribute;
    }

    /** Parses {@code udp} or {@code tcp}, case-insensitively. */
    public static RelayTransport parse(String name) {
        for (RelayTransport t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("relay transport: " + name + " (expected: udp or tcp)");
    }
}
