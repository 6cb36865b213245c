package dev.turnlab.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Stand-in for the codec's {@code LongTermCredentials.key} until it lands on main: the long-term
 * credential key MD5(username ":" realm ":" password) of RFC 8489 §9.2.2, without SASLprep.
 */
final class LongTermKey {

    private LongTermKey() {
    }

    /** The 16-byte MD5 key for {@code username}, {@code realm} and {@code password}. */
    static byte[] md5(String username, String realm, String password) {
        try {
            return MessageDigest.getInstance("MD5")
                    .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }
}
