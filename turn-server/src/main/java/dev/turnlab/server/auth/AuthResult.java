package dev.turnlab.server.auth;

import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.StunAttribute;
import java.util.List;

/** The outcome of checking a request's long-term credentials (RFC 8489 §9.2.4). */
public sealed interface AuthResult {

    /**
     * The request is authentic: the response is protected with the same {@code key}, using
     * MESSAGE-INTEGRITY-SHA256 when {@code sha256Integrity}, else MESSAGE-INTEGRITY (RFC 8489 §9.2.4).
     */
    record Accepted(String username, byte[] key, boolean sha256Integrity) implements AuthResult {
    }

    /**
     * The request is refused with {@code error} and {@code attributes} (REALM, NONCE, ...); {@code reason}
     * and {@code username} are for the log; {@code challenge} marks the ordinary first 401 of a client
     * that sent no credentials yet.
     */
    record Rejected(ErrorCode error, List<StunAttribute> attributes, String reason, String username,
            boolean challenge) implements AuthResult {
    }
}
