package dev.turnlab.codec.auth;

import java.nio.charset.StandardCharsets;

/** The key of the short-term credential mechanism (RFC 8489 §9.1.1): the OpaqueString'ed password itself. */
public final class ShortTermCredentials {

    private ShortTermCredentials() {
    }

    /**
     * The UTF-8 bytes of OpaqueString(password) (RFC 8489 §9.1.1), as a new array; throws
     * {@link IllegalArgumentException} if OpaqueString rejects the password, for example when empty.
     * ICE passwords (RFC 8445 §5.3) are printable ASCII, which OpaqueString leaves unchanged.
     */
    public static byte[] key(String password) {
        return StringPrep.opaqueString(password).getBytes(StandardCharsets.UTF_8);
    }
}
