package dev.turnlab.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin listener's bearer token: where it comes from, what it admits, and that it never shows. */
class AdminTokenTest {

    private static final String TOKEN = "c2VjcmV0LXRva2VuLWZvci10ZXN0cw";

    @TempDir
    Path dir;

    @Test
    void admitsExactlyItsOwnBearerToken() {
        AdminToken token = AdminToken.of("test", TOKEN);
        assertThat(token.admits("Bearer " + TOKEN)).isTrue();
        // RFC 7235 §2.1: the scheme is case-insensitive.
        assertThat(token.admits("bearer " + TOKEN)).isTrue();
        assertThat(token.admits(null)).isFalse();
        assertThat(token.admits("")).isFalse();
        assertThat(token.admits("Bearer ")).isFalse();
        assertThat(token.admits(TOKEN)).isFalse();
        assertThat(token.admits("Basic " + TOKEN)).isFalse();
        assertThat(token.admits("Bearer " + TOKEN.substring(1))).isFalse();
        assertThat(token.admits("Bearer " + TOKEN + "x")).isFalse();
        assertThat(token.admits("Bearer " + TOKEN.toUpperCase())).isFalse();
    }

    @Test
    void constantTimeEqualsComparesContentAndLength() {
        byte[] a = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        assertThat(AdminToken.constantTimeEquals(a, a.clone())).isTrue();
        byte[] lastDiffers = a.clone();
        lastDiffers[15] ^= 1;
        assertThat(AdminToken.constantTimeEquals(a, lastDiffers)).isFalse();
        byte[] firstDiffers = a.clone();
        firstDiffers[0] ^= (byte) 0x80;
        assertThat(AdminToken.constantTimeEquals(a, firstDiffers)).isFalse();
        assertThat(AdminToken.constantTimeEquals(a, "0123456789abcde".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(AdminToken.constantTimeEquals(new byte[0], new byte[0])).isTrue();
    }

    @Test
    void refusesATokenThatIsTooShortOrNotAToken() {
        for (String bad : new String[] {"", "short", "fifteen-chars-x", "has a space in it!", "quote\"inside-a-token"}) {
            assertThatThrownBy(() -> AdminToken.of("admin-token-env: T", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("admin-token-env: T: not a usable token (expected: at least 16 characters");
        }
        assertThat(AdminToken.of("t", "0123456789abcdef").admits("Bearer 0123456789abcdef")).isTrue();
    }

    @Test
    void neverShowsTheToken() {
        assertThat(AdminToken.of("t", TOKEN).toString()).doesNotContain(TOKEN).isEqualTo("AdminToken[********]");
    }

    @Test
    void readsTheFirstLineOfAFileOnlyItsOwnerMayRead() throws Exception {
        Path file = dir.resolve("admin.token");
        Files.writeString(file, TOKEN + "\nsecond line ignored\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(AdminToken.fromFile(file).admits("Bearer " + TOKEN)).isTrue();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertThat(AdminToken.fromFile(file).admits("Bearer " + TOKEN)).isTrue();
    }

    @Test
    void refusesAFileItsGroupOrOthersMayRead() throws Exception {
        Path file = dir.resolve("admin.token");
        Files.writeString(file, TOKEN + "\n");
        for (String mode : new String[] {"rw-r--r--", "rw-r-----", "rw----r--"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            assertThatThrownBy(() -> AdminToken.fromFile(file)).as(mode).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("admin-token-file: " + file + " is readable by group or others (expected: chmod 600 "
                            + file + ")");
        }
    }

    @Test
    void refusesAMissingOrEmptyFile() throws Exception {
        Path missing = dir.resolve("missing.token");
        assertThatThrownBy(() -> AdminToken.fromFile(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("admin-token-file: " + missing + " (cannot read: NoSuchFileException)");
        Path empty = dir.resolve("empty.token");
        Files.writeString(empty, "");
        Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> AdminToken.fromFile(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("admin-token-file: " + empty + ": not a usable token");
    }

    @Test
    void readsAnEnvironmentVariable() {
        Map<String, String> env = Map.of("TURNLAB_ADMIN_TOKEN", TOKEN + "\n", "EMPTY", " ");
        assertThat(AdminToken.fromEnvironment("TURNLAB_ADMIN_TOKEN", env).admits("Bearer " + TOKEN)).isTrue();
        assertThatThrownBy(() -> AdminToken.fromEnvironment("UNSET", env)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("admin-token-env: UNSET is not set (expected: the variable holding the admin token)");
        assertThatThrownBy(() -> AdminToken.fromEnvironment("EMPTY", env)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("admin-token-env: EMPTY is not set");
    }
}
