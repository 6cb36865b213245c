package dev.turnlab.server.auth;

import dev.turnlab.codec.auth.UserHashes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A fixed list of users and passwords: the server's "local authentication database", from the command
 * line ({@code --user NAME:PASSWORD}) or a users file with one {@code NAME:PASSWORD} per line. A password
 * written {@code 0x} and 32 hex digits is coturn's key form: the user's MD5 long-term key for this server's
 * realm (RFC 8489 §9.2.2), as {@code turnadmin -k} prints it, so that a {@code turnserver.conf} keeps working.
 */
public final class StaticCredentials implements CredentialStore {

    private static final Pattern KEY_FORM = Pattern.compile("0x[0-9a-fA-F]{32}");

    private final Map<String, String> passwords;
    private final Map<String, byte[]> keys;
    // Per realm, the user behind each USERHASH (hex), computed once: a look-up is one hash-map probe.
    private final Map<String, Map<String, String>> userHashes = new ConcurrentHashMap<>();

    /** The users of {@code passwords}, by name. */
    public StaticCredentials(Map<String, String> passwords) {
        Map<String, String> plain = new HashMap<>();
        Map<String, byte[]> keyed = new HashMap<>();
        passwords.forEach((name, password) -> {
            if (isKeyForm(password)) {
                keyed.put(name, HexFormat.of().parseHex(password.substring(2)));
            } else {
                plain.put(name, password);
            }
        });
        this.passwords = Map.copyOf(plain);
        this.keys = Map.copyOf(keyed);
    }

    /** Whether {@code password} is coturn's key form, {@code 0x} and 32 hex digits. */
    public static boolean isKeyForm(String password) {
        return KEY_FORM.matcher(password).matches();
    }

    /** The user names, for USERHASH look-ups and logs. */
    public Set<String> usernames() {
        Set<String> names = new HashSet<>(passwords.keySet());
        names.addAll(keys.keySet());
        return Set.copyOf(names);
    }

    @Override
    public Optional<String> password(String username, long nowMillis) {
        return Optional.ofNullable(passwords.get(username));
    }

    @Override
    public Optional<byte[]> md5Key(String username) {
        byte[] key = keys.get(username);
        return key == null ? Optional.empty() : Optional.of(key.clone());
    }

    /** The user behind {@code userHash} in {@code realm} (RFC 8489 §14.4): one look-up in a map built once per realm. */
    @Override
    public Optional<String> username(byte[] userHash, String realm) {
        return Optional.ofNullable(userHashes.computeIfAbsent(realm, this::index).get(HexFormat.of().formatHex(userHash)));
    }

    /** The realms whose USERHASH index was built so far. */
    Set<String> indexedRealms() {
        return Set.copyOf(userHashes.keySet());
    }

    private Map<String, String> index(String realm) {
        Map<String, String> byHash = new HashMap<>(passwords.size() * 2);
        for (String name : usernames()) {
            try {
                byHash.put(HexFormat.of().formatHex(UserHashes.of(name, realm)), name);
            } catch (IllegalArgumentException e) {
                // A name OpaqueString rejects has no USERHASH.
            }
        }
        return Map.copyOf(byHash);
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
