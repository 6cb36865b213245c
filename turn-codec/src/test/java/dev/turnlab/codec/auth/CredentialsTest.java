package dev.turnlab.codec.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.codec.attribute.PasswordAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Key derivation for the short-term and long-term mechanisms (RFC 8489 §9) and USERHASH (§14.4). */
class CredentialsTest {

    static final String USERNAME = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";

    @Test
    void rfc5389KeyIsTheMd5OfUserRealmAndSaslPreppedPassword() {
        // RFC 8489 §9.2.2's example: user "user", realm "realm", password "pass".
        assertThat(LongTermCredentials.key("user", "realm", "pass")).isEqualTo(digest("MD5", "user:realm:pass"));
        assertThat(LongTermCredentials.key(USERNAME, "example.org", "The\u00ADM\u00AAtr\u2168"))
                .isEqualTo(digest("MD5", USERNAME + ":example.org:TheMatrIX"));
    }

    @Test
    void rfc8489KeysHashOpaqueStringedRealmAndPassword() {
        assertThat(LongTermCredentials.key("user", "realm", "pass", PasswordAlgorithm.MD5))
                .isEqualTo(digest("MD5", "user:realm:pass")).hasSize(16);
        assertThat(LongTermCredentials.key("user", "realm", "pass", PasswordAlgorithm.SHA256))
                .isEqualTo(digest("SHA-256", "user:realm:pass")).hasSize(32);
        // OpaqueString maps the no-break spaces and composes the accent, and keeps U+00AA.
        assertThat(LongTermCredentials.key("u", "r\u00A0m", "e\u0301\u00A0\u00AA", PasswordAlgorithm.SHA256))
                .isEqualTo(digest("SHA-256", "u:r m:\u00E9 \u00AA"));
    }

    @Test
    void theTwoPreparationsAgreeOnPrintableAsciiAndDivergeBeyond() {
        String password = "VOkJxbRl1RmTxUk/WvJxBt ~!";
        assertThat(LongTermCredentials.key("alice", "example.org", password))
                .isEqualTo(LongTermCredentials.key("alice", "example.org", password, PasswordAlgorithm.MD5));
        // NFKC versus NFC: SASLprep turns U+00AA into "a", OpaqueString keeps it.
        assertThat(LongTermCredentials.key("alice", "example.org", "p\u00AA"))
                .isNotEqualTo(LongTermCredentials.key("alice", "example.org", "p\u00AA", PasswordAlgorithm.MD5));
        // The soft hyphen: SASLprep drops it, OpaqueString refuses it.
        assertThatThrownBy(() -> LongTermCredentials.key("alice", "example.org", "p\u00ADw", PasswordAlgorithm.MD5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trailingNullsAreRemoved() {
        // RFC 8489 §9.2.2: user name, realm and password "with any trailing nulls removed".
        byte[] key = LongTermCredentials.key("user", "realm", "pass");
        assertThat(LongTermCredentials.key("user\0", "realm\0\0", "pass\0")).isEqualTo(key);
        assertThat(LongTermCredentials.key("user\0", "realm\0", "pass\0", PasswordAlgorithm.MD5)).isEqualTo(key);
    }

    @Test
    void theUsernameIsUsedAsGiven() {
        // It is the USERNAME value, already prepared by the sender: "A\u030A" is not composed.
        assertThat(LongTermCredentials.key("A\u030A", "r", "p", PasswordAlgorithm.SHA256))
                .isEqualTo(digest("SHA-256", "A\u030A:r:p"));
    }

    @Test
    void keysAreFreshArrays() {
        byte[] first = LongTermCredentials.key("user", "realm", "pass");
        first[0] ^= 1;
        assertThat(LongTermCredentials.key("user", "realm", "pass")).isEqualTo(digest("MD5", "user:realm:pass"));
        byte[] shortTerm = ShortTermCredentials.key("pass");
        shortTerm[0] = 0;
        assertThat(ShortTermCredentials.key("pass")).isEqualTo("pass".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void unknownAlgorithmsAndParametersAreRejected() {
        assertThatThrownBy(() -> LongTermCredentials.key("u", "r", "p", new PasswordAlgorithm(0x0003, new byte[0])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a registered password algorithm");
        assertThatThrownBy(() -> LongTermCredentials.key("u", "r", "p", new PasswordAlgorithm(0x0002, new byte[] {1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parameters");
    }

    @Test
    void invalidPasswordsAreRejectedWithoutEchoingThem() {
        assertThatThrownBy(() -> LongTermCredentials.key("u", "r", "hunter2\u0007"))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("hunter2");
        assertThatThrownBy(() -> ShortTermCredentials.key("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shortTermKeyIsTheOpaqueStringedPassword() {
        // RFC 8489 §9.1.1; RFC 5769 §2.1's password is printable ASCII and unchanged.
        assertThat(ShortTermCredentials.key("VOkJxbRl1RmTxUk/WvJxBt"))
                .isEqualTo("VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8));
        assertThat(ShortTermCredentials.key("p\u3000w")).isEqualTo("p w".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void userHashOfTheRfc8489Example() {
        // RFC 8489 Appendix B.1: SHA-256 of "<username>:example.org".
        assertThat(HexFormat.of().formatHex(UserHashes.of(USERNAME, "example.org")))
                .isEqualTo("4a3cf38fef6992bda952c6780417da0f24819415569e60b205c46e41407f1704");
    }

    @Test
    void userHashPreparesBothStrings() {
        assertThat(UserHashes.of("A\u030A", "r\u00A0m")).isEqualTo(digest("SHA-256", "\u00C5:r m"));
        assertThatThrownBy(() -> UserHashes.of("", "realm")).isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] digest(String algorithm, String s) {
        try {
            return MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
