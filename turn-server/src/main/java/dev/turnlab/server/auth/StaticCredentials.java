package dev.turnlab.server.auth;

import dev.turnlab.codec.auth.UserHashes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A fixed list of users and passwords: the server's "local authentication database", from the command
 * line ({@code --user NAME:PASSWORD}) or a users file with one {@code NAME:PASSWORD} per line.
 */
public final class StaticCredentials implements CredentialStore {

    private final Map<String, String> passwords;

    /** The users of {@code passwords}, by name. */
    public StaticCredentials(Map<String, String> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    /** The user names, for USERHASH look-ups and logs. */
    public Set<String> usernames() {
        return passwords.keySet();
    }

    @Override
    public Optional<String> password(String username, long nowMillis) {
        return Optional.ofNullable(passwords.get(username));
    }

    @Override
    public Optional<String> username(byte[] userHash, String realm) {
        for (String name : passwords.keySet()) {
            try {
                if (MessageDigest.isEqual(UserHashes.of(name, realm), userHash)) {
                    return Optional.of(name);
                }
            } catch (IllegalArgumentException e) {
                // A name OpaqueString rejects has no USERHASH.
            }
        }
        return Optional.empty();
    }

    /** Parses {@code NAME:PASSWORD} (the password may contain colons), as given on the command line. */
    public static Map.Entry<String, String> parseUser(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("user: expected NAME:PASSWORD (got " + (text.isEmpty() ? "nothing" : "no name or no ':'") + ")");
        }
        return Map.entry(text.substring(0, colon), text.substring(colon + 1));
    }

    /**
     * Reads a users file: one {@code NAME:PASSWORD} per line; blank lines and lines starting with
     * {@code #} are skipped. A malformed line is reported with its number, never with its content.
     */
    public static Map<String, String> readUsersFile(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, String> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("usersFile: " + file + " line " + (i + 1) + " (expected: NAME:PASSWORD)");
            }
            users.put(line.substring(0, colon), line.substring(colon + 1));
        }
        return users;
    }
}
