package dev.turnlab.client.check;

import dev.turnlab.codec.HostPort;
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
        HostPort hostPort;
        try {
            hostPort = HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("server: " + text + " (expected: "
                    + (text.strip().startsWith("[") ? "[IPV6]:PORT" : "HOST[:PORT] with PORT 1-65535") + ")");
        }
        if (hostPort.port() == 0) {
            throw new IllegalArgumentException("server: " + text + " (expected: HOST[:PORT] with PORT 1-65535)");
        }
        return new ServerAddress(hostPort.host(), hostPort.hasPort() ? hostPort.port() : 0);
    }

    /** This address with {@code defaultPort} when no port was given. */
    public ServerAddress withDefaultPort(int defaultPort) {
        return port != 0 ? this : new ServerAddress(host, defaultPort);
    }

    @Override
    public String toString() {
        return new HostPort(host, port == 0 ? HostPort.NO_PORT : port).toString();
    }
}
