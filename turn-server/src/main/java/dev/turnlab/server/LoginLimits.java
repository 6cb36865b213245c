package dev.turnlab.server;

import dev.turnlab.server.auth.LoginLimiter;
import java.time.Duration;

/**
 * How many failed logins (an unknown user or a MAC that does not verify, RFC 8489 §9.2.4 bullets 4 and 5;
 * not an expired credential that verifies) the server takes before it stops checking passwords:
 * {@code perSource} per client address (IPv4 address or IPv6 /64), the ceiling for one address trying
 * many usernames; {@code perUser} per address and username, and per existing user. Each is a token bucket
 * of that size refilled at that many per {@code window}; 0 turns a limit off. Keep {@code perSource}
 * several times {@code perUser}: clients behind one NAT share an address, and one of them failing without
 * end spends only {@code perUser} of it per window. At most {@code tracked} addresses, as many pairs and as
 * many users are remembered, the least recently seen forgotten first. See {@link LoginLimiter}.
 */
public record LoginLimits(int perSource, int perUser, Duration window, int tracked) {

    /**
     * 100 failures per address, 10 per address and username and 10 per user a minute; 16384 of each
     * remembered. Ten clients behind one NAT failing without end are needed to empty the NAT's bucket.
     */
    public static final LoginLimits DEFAULT = new LoginLimits(100, 10, Duration.ofMinutes(1), 16_384);

    /** Validates every value. */
    public LoginLimits {
        if (perSource < 0) {
            throw new IllegalArgumentException("loginLimitPerSource: " + perSource + " (expected: >= 0, 0 for no limit)");
        }
        if (perUser < 0) {
            throw new IllegalArgumentException("loginLimitPerUser: " + perUser + " (expected: >= 0, 0 for no limit)");
        }
        if (window == null || window.isNegative() || window.isZero() || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("loginLimitWindow: " + window + " (expected: 1ms-1d)");
        }
        if (tracked < 1 || tracked > 1 << 20) {
            throw new IllegalArgumentException("loginLimitTracked: " + tracked + " (expected: 1-1048576)");
        }
    }

    /**
     * Parses {@code PER_SOURCE,PER_USER,WINDOW_SECONDS[,TRACKED]} (as {@code --login-limits} takes it), or
     * {@code off}.
     */
    public static LoginLimits parse(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("off")) {
            return new LoginLimits(0, 0, DEFAULT.window, DEFAULT.tracked);
        }
        String[] parts = t.split(",", -1);
        if (parts.length < 3 || parts.length > 4) {
            throw new IllegalArgumentException("loginLimits: " + text
                    + " (expected: PER_SOURCE,PER_USER,WINDOW_SECONDS[,TRACKED] or off)");
        }
        try {
            return new LoginLimits(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()),
                    Duration.ofSeconds(Long.parseLong(parts[2].strip())),
                    parts.length == 4 ? Integer.parseInt(parts[3].strip()) : DEFAULT.tracked);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("loginLimits: " + text
                    + " (expected: PER_SOURCE,PER_USER,WINDOW_SECONDS[,TRACKED] as integers, or off)");
        }
    }

    /** Whether any limit is on. */
    public boolean enabled() {
        return perSource > 0 || perUser > 0;
    }
}
