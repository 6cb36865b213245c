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
     * The request is refused with {@code error} and {@code attributes} (REALM, NONCE, ...) because of
     * {@code failure}; {@code username} is for the log.
     */
    record Rejected(ErrorCode error, List<StunAttribute> attributes, Failure failure, String username)
            implements AuthResult {

        /** The text of the failure, for the log. */
        public String reason() {
            return failure.description();
        }

        /** Whether this is the ordinary first 401 of a client that sent no credentials yet. */
        public boolean challenge() {
            return failure == Failure.CHALLENGE;
        }
    }

    /** Why credentials were refused, in the order of the bullets of RFC 8489 §9.2.4, then the login limits. */
    enum Failure {
        /** Bullet 1: no MESSAGE-INTEGRITY(-SHA256) yet; the first 401 of every login. */
        CHALLENGE("challenge", "no credentials (challenge)"),
        /** Bullet 2: USERNAME/USERHASH, REALM or NONCE missing. */
        MISSING_ATTRIBUTES("missing_attributes", "USERNAME/USERHASH, REALM or NONCE missing"),
        /** Bullet 3: PASSWORD-ALGORITHM(S) not as offered. */
        ALGORITHM_MISMATCH("algorithm_mismatch", "PASSWORD-ALGORITHM(S) do not match the offer"),
        /** Bullet 6: a nonce this server did not issue to this 5-tuple, or an expired one. */
        STALE_NONCE("stale_nonce", "stale or foreign nonce"),
        /** Bullet 4: the REALM is not this server's. */
        WRONG_REALM("wrong_realm", "realm is not the server's"),
        /** Bullet 4: USERNAME or USERHASH unknown, or an expired credential whose MAC does not verify. */
        UNKNOWN_USER("unknown_user", "unknown or expired user"),
        /** Bullet 4: a TURN REST API credential whose MAC verifies but whose expiry passed; not a guess. */
        EXPIRED("expired", "expired credential"),
        /** Bullet 5: the MAC does not verify. */
        INTEGRITY("integrity", "integrity check failed"),
        /** Too many failed logins from the client's address: refused without checking the password. */
        RATE_LIMITED_SOURCE("rate_limited_source", "too many failed logins from this source"),
        /** Too many failed logins for the user, and this source failed lately: refused unchecked. */
        RATE_LIMITED_USER("rate_limited_user", "too many failed logins for this user");

        private final String label;
        private final String description;

        Failure(String label, String description) {
            this.label = label;
            this.description = description;
        }

        /** The {@code reason} label of the metric. */
        public String label() {
            return label;
        }

        /** A short text for the log. */
        public String description() {
            return description;
        }
    }
}
