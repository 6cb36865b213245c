package dev.turnlab.server;

import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.server.LoginLimits;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link TurnServer} authenticates requests with long-term credentials (RFC 8489 §9.2) and what it
 * says of itself. Validated when constructed; {@link #toString()} names users but never passwords or the
 * shared secret.
 *
 * @param realm the REALM, 1-127 characters (RFC 8489 §14.9)
 * @param users the local users, name to password (none is valid here; {@link TurnServerConfig} checks that
 *     some source of credentials is configured)
 * @param authSecret the TURN REST API shared secret (users {@code expiry:name}), or null for none
 * @param integrityFailure the error for a MESSAGE-INTEGRITY that does not verify: 401 or 431
 * @param software the SOFTWARE attribute of every response (RFC 8489 §14.14)
 * @param securityFeatures whether nonces announce SHA-256 passwords and USERHASH (RFC 8489 §9.2)
 * @param nonceLifetime how long a nonce stays valid before 438 Stale Nonce
 * @param loginLimits how many failed logins per address and per user before passwords go unchecked
 */
public record AuthConfig(String realm, Map<String, String> users, String authSecret, ErrorCode integrityFailure,
        String software, boolean securityFeatures, Duration nonceLifetime, LoginLimits loginLimits) {

    /** The default nonce lifetime. */
    public static final Duration DEFAULT_NONCE_LIFETIME = Duration.ofMinutes(10);

    /** Validates every component and copies the users. */
    public AuthConfig {
        Objects.requireNonNull(realm, "realm");
        users = Map.copyOf(users);
        users.forEach((name, password) -> {
            checkUser(name);
            Objects.requireNonNull(password, "password");
        });
        if (authSecret != null) {
            checkAuthSecret(authSecret);
        }
        Objects.requireNonNull(integrityFailure, "integrityFailure");
        Objects.requireNonNull(software, "software");
        Objects.requireNonNull(loginLimits, "loginLimits");
        if (Objects.requireNonNull(nonceLifetime, "nonceLifetime").isNegative() || nonceLifetime.isZero()) {
            throw new IllegalArgumentException("nonceLifetime: " + nonceLifetime + " (expected: positive)");
        }
        if (realm.isEmpty() || realm.length() > 127) {
            throw new IllegalArgumentException("realm: '" + realm + "' (expected: 1-127 characters, RFC 8489 §14.9)");
        }
    }

    @Override
    public String toString() {
        // Never print passwords or the shared secret.
        return "AuthConfig[realm=" + realm + " users=" + users.keySet() + " authSecret="
                + (authSecret == null ? "none" : "set") + " integrityFailure=" + integrityFailure + " software="
                + software + " securityFeatures=" + securityFeatures + " nonceLifetime=" + nonceLifetime
                + " loginLimits=" + loginLimits + "]";
    }

    /** Returns {@code name} if it can name a user, else throws the one-line message. */
    static String checkUser(String name) {
        if (name == null || name.isEmpty() || name.indexOf(':') >= 0) {
            throw new IllegalArgumentException("user: " + name + " (expected: a non-empty name without ':')");
        }
        return name;
    }

    /** Returns {@code secret} if it is one, else throws the one-line message. */
    static String checkAuthSecret(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("authSecret: empty (expected: a shared secret)");
        }
        return secret;
    }
}
