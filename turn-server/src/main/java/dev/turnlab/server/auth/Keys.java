package dev.turnlab.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Long-term credential keys and user hashes (RFC 8489 §9.2.2, §14.4), as the server needs them. */
final class Keys {

    private Keys() {
    }

    /** The MD5 long-term key, MD5(username ":" realm ":" password) (RFC 8489 §9.2.2). */
    static byte[] md5(String username, String realm, String password) {
        return digest("MD5", username + ":" + realm + ":" + password);
    }

    /** USERHASH, SHA-256(username ":" realm) (RFC 8489 §14.4). */
    static byte[] userHash(String username, String realm) {
        return digest("SHA-256", username + ":" + realm);
    }

    private static byte[] digest(String algorithm, String text) {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by every Java platform", e);
        }
    }
}
