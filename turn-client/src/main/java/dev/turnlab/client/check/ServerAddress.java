package dev.turnlab.client.check;

import java.util.Objects;

/**
 * A TURN server as given on a command line, {@code HOST}, {@code HOST:PORT}, {@code [IPV6]:PORT} or a
 * bare IPv6 address, not resolved.
 *
 * @param host a name or a literal address, without brackets
 * @param port the port, or 0 for the transport's default
 */
public record ServerAddress(String host, int port) {

    /** Checks the host is present and the port in 0-65535. */
    public ServerAddress {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("server: empty host (expected: HOST[:PORT])");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("server: port " + port + " (expected: 1-65535)");
        }
    }

    /** Parses {@code HOST[:PORT]}; an IPv6 address with a port goes in brackets. */
    public static ServerAddress parse(String text) {
        String s = text.strip();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("server: " + text + " (expected: [IPV6]:PORT)");
            }
            String rest = s.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException("server: " + text + " (expected: [IPV6]:PORT)");
            }
            return new ServerAddress(s.substring(1, close), rest.isEmpty() ? 0 : port(rest.substring(1), text));
        }
        int colon = s.indexOf(':');
        if (colon < 0 || s.indexOf(':', colon + 1) >= 0) {
            return new ServerAddress(s, 0); // a name, IPv4, or a bare IPv6 address
        }
        return new ServerAddress(s.substring(0, colon), port(s.substring(colon + 1), text));
    }

    private static int port(String digits, String text) {
        try {
            int port = Integer.parseInt(digits);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("server: " + text + " (expected: HOST[:PORT] with PORT 1-65535)");
    }

    /** This address with {@code defaultPort} when no port was given. */
    public ServerAddress withDefaultPort(int defaultPort) {
        return port != 0 ? this : new ServerAddress(host, defaultPort);
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == 0 ? h : h + ":" + port;
    }
}
