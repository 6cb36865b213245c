package dev.turnlab.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ephemeral credentials of the TURN REST API (draft-uberti-behave-turn-rest-00 §2.2, coturn's
 * {@code use-auth-secret}): the username is {@code expiry:user} with the expiry in Unix seconds, the
 * password is base64(HMAC-SHA1(secret, username)). A username whose expiry has passed has no password,
 * only an {@linkplain #expiredPassword expired} one.
 *
 * <p>USERHASH (RFC 8489 §14.4) cannot name such a user: the hash is SHA-256 of {@code username:realm}, and
 * these usernames are not stored anywhere, they are minted by a web service for any name and expiry, so
 * there is no list to index and a hash cannot be reversed. Clients of this store must send USERNAME.
 */
public final class SharedSecretCredentials implements CredentialStore {

    private final byte[] secret;

    /** Credentials checked against the shared {@code secret}. */
    public SharedSecretCredentials(String secret) {
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("authSecret: empty (expected: a shared secret)");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Optional<String> password(String username, long nowMillis) {
        long expiry = expiryMillis(username);
        return expiry > nowMillis ? Optional.of(passwordFor(username)) : Optional.empty();
    }

    /** A well-formed username whose expiry has passed still has the password a web service once minted. */
    @Override
    public Optional<String> expiredPassword(String username, long nowMillis) {
        long expiry = expiryMillis(username);
        return expiry >= 0 && expiry <= nowMillis ? Optional.of(passwordFor(username)) : Optional.empty();
    }

    /** Whether {@code username} has the REST API form {@code expiry[:user]}, expired or not. */
    public static boolean isRestUsername(String username) {
        return expiryMillis(username) >= 0;
    }

    /** The expiry of {@code expiry[:user]} in Unix milliseconds, or -1 when it is not a valid one. */
    private static long expiryMillis(String username) {
        int colon = username.indexOf(':');
        String expiry = colon < 0 ? username : username.substring(0, colon);
        try {
            // multiplyExact: an expiry so large that its milliseconds overflow is no valid expiry.
            long millis = Math.multiplyExact(Long.parseLong(expiry), 1000L);
            return millis < 0 ? -1 : millis;
        } catch (NumberFormatException | ArithmeticException e) {
            return -1;
        }
    }

    /** The password that belongs to a REST API {@code username}: what a web service hands to its clients. */
    public String passwordFor(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required by every Java platform", e);
        }
    }
}
