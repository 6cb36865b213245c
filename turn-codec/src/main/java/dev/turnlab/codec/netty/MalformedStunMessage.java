package dev.turnlab.codec.netty;

import dev.turnlab.codec.StunCodecException;
import java.net.InetSocketAddress;

/**
 * A STUN message that failed to decode but whose header was read, passed on so that a server can
 * answer a request with 400 Bad Request (RFC 8489 §6.3.1). {@code error} names the method, class and
 * transaction id. On a stream {@code sender} and {@code recipient} are {@code null}: the connection
 * identifies the peer.
 */
public record MalformedStunMessage(StunCodecException error, InetSocketAddress sender, InetSocketAddress recipient) {

    /** Checks that the error has a readable header. */
    public MalformedStunMessage {
        if (!error.hasHeader()) {
            throw new IllegalArgumentException("error without a STUN header: " + error.getMessage());
        }
    }
}
