package dev.turnlab.client;

import dev.turnlab.codec.attribute.ConnectionId;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A ConnectionAttempt indication (RFC 6062 §4.4): a peer opened a TCP connection to the relayed address
 * of a TCP allocation, and the server holds it for about 30 s under {@code connectionId}. Accept it with
 * {@link TurnClient#accept}; one not accepted is closed by the server when its time is up.
 *
 * @param connectionId CONNECTION-ID, the server's name for the peer's connection
 * @param peer XOR-PEER-ADDRESS, where the peer's connection comes from
 */
public record ConnectionAttempt(ConnectionId connectionId, InetSocketAddress peer) {

    /** Checks that both are present. */
    public ConnectionAttempt {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(peer, "peer");
    }
}
