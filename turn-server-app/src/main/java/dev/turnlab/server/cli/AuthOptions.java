package dev.turnlab.server.cli;

import dev.turnlab.cli.DurationConverter;
import dev.turnlab.server.LoginLimits;
import dev.turnlab.server.TurnServerBuilder;
import dev.turnlab.server.auth.StaticCredentials;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Who may allocate: realm, users, the TURN REST secret, nonces and the failed-login limits. */
final class AuthOptions {

    @Option(names = "--realm", paramLabel = "R", description = "Realm (default turnlab; TANDBERG with --profile expressway).")
    String realm;

    @Option(names = "--user", paramLabel = "NAME:PASSWORD", description = "A user (repeatable).")
    List<String> users = new ArrayList<>();

    @Option(names = "--users-file", paramLabel = "FILE", description = "Users file, one NAME:PASSWORD per line.")
    Path usersFile;

    @Option(names = "--auth-secret", paramLabel = "S", description = "TURN REST API shared secret (usernames expiry:user).")
    String authSecret;

    @Option(names = "--login-limits", paramLabel = "SRC,USER,SECONDS[,TRACKED]",
            description = "Failed logins within SECONDS before passwords go unchecked: SRC per client address (IPv6: per /64), "
                    + "USER per address and username and per user; keep SRC several times USER, as clients behind one NAT "
                    + "share SRC; expired TURN REST credentials that verify do not count; TRACKED of each remembered "
                    + "(default 100,10,60,16384; off: no limit).")
    String loginLimits;

    @Option(names = "--stale-nonce", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a nonce stays valid before 438 Stale Nonce (default 600s).")
    Duration staleNonce;

    /**
     * Sets the credentials on {@code b}.
     *
     * @param cluster whether users come from a cluster's Redis: then no demo user is made
     * @return the generated password of user {@code demo} when no user, users file, secret or Redis was given,
     *     else null
     */
    String applyTo(TurnServerBuilder b, boolean cluster) {
        if (realm != null) {
            b.realm(realm);
        }
        for (String u : users) {
            Map.Entry<String, String> user = StaticCredentials.parseUser(u);
            b.user(user.getKey(), user.getValue());
        }
        if (usersFile != null) {
            b.usersFile(usersFile);
        }
        if (authSecret != null) {
            b.authSecret(authSecret);
        }
        if (loginLimits != null) {
            b.loginLimits(LoginLimits.parse(loginLimits));
        }
        if (staleNonce != null) {
            b.nonceLifetime(Main.seconds("stale-nonce", staleNonce));
        }
        if (users.isEmpty() && usersFile == null && authSecret == null && !cluster) {
            String demoPassword = demoPassword();
            b.user("demo", demoPassword);
            return demoPassword;
        }
        return null;
    }

    private static String demoPassword() {
        final String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder s = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
