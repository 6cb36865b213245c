package dev.turnlab.codec.auth;

import dev.turnlab.codec.attribute.PasswordAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The key of the long-term credential mechanism (RFC 8489 §9.2.2): a hash of user name, realm and
 * password. Keys are returned as new arrays the caller owns; nothing here logs a password or a key.
 *
 * <p>Two preparations exist. RFC 5389 §15.4 applies SASLprep to the password alone, and its test
 * vector (RFC 5769 §2.4) depends on it; RFC 8489 §18.5.1 applies OpaqueString to realm and
 * password. {@link #key(String, String, String)} is the RFC 5389 key, for clients that send no
 * PASSWORD-ALGORITHM; {@link #key(String, String, String, PasswordAlgorithm)} is the RFC 8489 key,
 * for clients that do. For printable ASCII passwords and realms, the usual case, both preparations
 * are the identity and the MD5 keys agree.
 *
 * <p>The user name is used as given: it is the value of USERNAME, which the sender has already
 * prepared (RFC 8489 §9.2.2). Trailing U+0000 characters are removed from all three strings, as
 * §9.2.2 says; quotes are not, since decoded attribute values carry no quoted-string delimiters.
 */
public final class LongTermCredentials {

    private LongTermCredentials() {
    }

    /**
     * The RFC 5389 key (§15.4), MD5(username ":" realm ":" SASLprep(password)), 16 bytes; throws
     * {@link IllegalArgumentException} if SASLprep rejects the password.
     */
    public static byte[] key(String username, String realm, String password) {
        String prepared = StringPrep.saslPrep(withoutTrailingNulls(password));
        return digest("MD5", withoutTrailingNulls(username), withoutTrailingNulls(realm), prepared);
    }

    /**
     * The RFC 8489 key for {@code algorithm} (§9.2.2, §18.5.1): MD5 (16 bytes) or SHA-256 (32 bytes)
     * of username ":" OpaqueString(realm) ":" OpaqueString(password). Throws
     * {@link IllegalArgumentException} for another algorithm, for parameters (neither registered
     * algorithm has any) or if OpaqueString rejects the realm or the password.
     */
    public static byte[] key(String username, String realm, String password, PasswordAlgorithm algorithm) {
        String digest = jcaName(algorithm);
        String preparedRealm = StringPrep.opaqueString(withoutTrailingNulls(realm));
        String preparedPassword = StringPrep.opaqueString(withoutTrailingNulls(password));
        return digest(digest, withoutTrailingNulls(username), preparedRealm, preparedPassword);
    }

    private static String jcaName(PasswordAlgorithm algorithm) {
        if (algorithm.parameters().length != 0) {
            throw new IllegalArgumentException(algorithm + ": parameters given (RFC 8489 §18.5.1: none expected)");
        }
        return switch (algorithm.algorithm()) {
            case 0x0001 -> "MD5";
            case 0x0002 -> "SHA-256";
            default -> throw new IllegalArgumentException(algorithm + ": not a registered password algorithm (expected: MD5 or SHA-256)");
        };
    }

    private static byte[] digest(String jcaName, String username, String realm, String password) {
        MessageDigest md = messageDigest(jcaName);
        md.update(username.getBytes(StandardCharsets.UTF_8));
        md.update((byte) ':');
        md.update(realm.getBytes(StandardCharsets.UTF_8));
        md.update((byte) ':');
        md.update(password.getBytes(StandardCharsets.UTF_8));
        return md.digest();
    }

    static MessageDigest messageDigest(String jcaName) {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " is required of every JDK and missing", e);
        }
    }

    static String withoutTrailingNulls(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\0') {
            end--;
        }
        return s.substring(0, end);
    }
}
