package dev.turnlab.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local user database, users files and TURN REST API shared-secret credentials. */
class CredentialsTest {

    @TempDir
    Path dir;

    @Test
    void usersFileSkipsCommentsAndKeepsColonsInPasswords() throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(file, "# lab users\n\nexpturncreds:s3cret\nalice:a:b:c\n");

        assertThat(StaticCredentials.readUsersFile(file))
                .containsExactly(Map.entry("expturncreds", "s3cret"), Map.entry("alice", "a:b:c"));
    }

    @Test
    void malformedUsersFileLineIsReportedWithoutItsContent() throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(file, "ok:pw\nno-colon-secret\n");

        assertThatThrownBy(() -> StaticCredentials.readUsersFile(file))
                .hasMessage("usersFile: " + file + " line 2 (expected: NAME:PASSWORD)")
                .hasMessageNotContaining("no-colon-secret");
    }

    @Test
    void userOption() {
        assertThat(StaticCredentials.parseUser("demo:pa:ss")).isEqualTo(Map.entry("demo", "pa:ss"));
        assertThatThrownBy(() -> StaticCredentials.parseUser("nopassword")).hasMessageStartingWith("user: expected NAME:PASSWORD");
    }

    @Test
    void userHashFindsTheUser() {
        StaticCredentials users = new StaticCredentials(Map.of("alice", "x", "bob", "y"));
        assertThat(users.username(dev.turnlab.codec.auth.UserHashes.of("bob", "turnlab"), "turnlab")).contains("bob");
        assertThat(users.username(dev.turnlab.codec.auth.UserHashes.of("bob", "other"), "turnlab")).isEmpty();
    }

    @Test
    void restApiPasswordIsBase64HmacSha1OfTheUsername() {
        SharedSecretCredentials rest = new SharedSecretCredentials("north");
        // base64(HMAC-SHA1("north", "1700000000:alice")), computed independently with openssl:
        // printf '1700000000:alice' | openssl dgst -sha1 -hmac north -binary | base64
        assertThat(rest.passwordFor("1700000000:alice")).isEqualTo("Cd/49soE35ICqcJF/bCTn8Z4OyE=");
    }

    @Test
    void restApiCredentialsExpire() {
        SharedSecretCredentials rest = new SharedSecretCredentials("north");
        long expiry = 1_700_000_000L;
        String user = expiry + ":alice";
        assertThat(rest.password(user, expiry * 1000 - 1)).contains(rest.passwordFor(user));
        assertThat(rest.password(user, expiry * 1000)).isEmpty();
        assertThat(rest.password("alice", 0)).isEmpty();
        assertThat(rest.password("soon:alice", 0)).isEmpty();
    }

    @Test
    void userHashFindsTheUserThroughAnIndexBuiltOncePerRealm() {
        java.util.Map<String, String> users = new java.util.HashMap<>();
        for (int i = 0; i < 1000; i++) {
            users.put("user" + i, "pw" + i);
        }
        StaticCredentials store = new StaticCredentials(users);

        assertThat(store.username(dev.turnlab.codec.auth.UserHashes.of("user777", "turnlab"), "turnlab"))
                .contains("user777");
        assertThat(store.username(dev.turnlab.codec.auth.UserHashes.of("user1", "turnlab"), "turnlab")).contains("user1");
        assertThat(store.username(dev.turnlab.codec.auth.UserHashes.of("nobody", "turnlab"), "turnlab")).isEmpty();
        // The hash binds the realm: the same user's hash for another realm names nobody here.
        assertThat(store.username(dev.turnlab.codec.auth.UserHashes.of("user1", "other"), "turnlab")).isEmpty();
        assertThat(store.username(new byte[3], "turnlab")).isEmpty();
        assertThat(store.indexedRealms()).containsExactly("turnlab");
    }

    @Test
    void sharedSecretCredentialsCannotBeFoundByUserHash() {
        SharedSecretCredentials store = new SharedSecretCredentials("s3cret");
        String user = (System.currentTimeMillis() / 1000 + 3600) + ":alice";

        assertThat(store.username(dev.turnlab.codec.auth.UserHashes.of(user, "turnlab"), "turnlab")).isEmpty();
    }

    @Test
    void restExpiryWhoseMillisecondsOverflowIsNoCredential() {
        SharedSecretCredentials store = new SharedSecretCredentials("s3cret");
        long now = 1_700_000_000_000L;
        // (2^64 + now + 1 day) / 1000 seconds wraps, times 1000, to a time one day ahead.
        String wrapping = new java.math.BigInteger("18446744073709551616").add(java.math.BigInteger.valueOf(now + 86_400_000L))
                .divide(java.math.BigInteger.valueOf(1000)).toString() + ":mallory";

        assertThat(store.password(wrapping, now)).isEmpty();
        assertThat(store.password((now / 1000 + 60) + ":alice", now)).isPresent();
    }
}
