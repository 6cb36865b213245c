package dev.turnlab.codec.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** USERHASH values (RFC 8489 §14.4), which a client sends instead of USERNAME to keep it private. */
public final class UserHashes {

    private UserHashes() {
    }

    /**
     * SHA-256(OpaqueString(username) ":" OpaqueString(realm)), 32 bytes in a new array (RFC 8489
     * §14.4); throws {@link IllegalArgumentException} if OpaqueString rejects either string.
     */
    public static byte[] of(String username, String realm) {
        MessageDigest md = LongTermCredentials.messageDigest("SHA-256");
        md.update(StringPrep.opaqueString(username).getBytes(StandardCharsets.UTF_8));
        md.update((byte) ':');
        md.update(StringPrep.opaqueString(realm).getBytes(StandardCharsets.UTF_8));
        return md.digest();
    }
}
