package dev.turnlab.codec;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A transport address as people write it: {@code HOST}, {@code HOST:PORT}, {@code [IPV6]}, {@code [IPV6]:PORT}
 * or a bare IPv6 address, with IPv6 literals in brackets as RFC 3986 §3.2.2 writes them. A bare IPv6 address has
 * no port: in {@code ::1:3478} the port cannot be told from the address. Not resolved; each caller says which
 * ports it accepts.
 *
 * @param host a name or a literal address, without brackets
 * @param port 0-65535, or {@link #NO_PORT}
 */
public record HostPort(String host, int port) {

    /** The port of an address written without one. */
    public static final int NO_PORT = -1;

    /** Checks that the host is present and the port is 0-65535 or {@link #NO_PORT}. */
    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < NO_PORT || port > 65535) {
            throw new IllegalArgumentException("port " + port + " (expected: 0-65535)");
        }
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException saying what is wrong, for the caller to put in its own line
     */
    public static HostPort parse(String text) {
        String s = text == null ? "" : text.strip();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("no ] after [");
            }
            String host = s.substring(1, close);
            if (!NetUtil.isValidIpV6Address(host)) {
                throw new IllegalArgumentException("brackets are for an IPv6 address");
            }
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                return new HostPort(host, NO_PORT);
            }
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("text after ]");
            }
            return new HostPort(host, port(rest.substring(1)));
        }
        if (s.indexOf('[') >= 0 || s.indexOf(']') >= 0) {
            throw new IllegalArgumentException("brackets around anything but an IPv6 address");
        }
        int colon = s.indexOf(':');
        if (colon < 0) {
            return new HostPort(s, NO_PORT);
        }
        if (s.indexOf(':', colon + 1) >= 0) {
            if (!NetUtil.isValidIpV6Address(s)) {
                throw new IllegalArgumentException("more than one colon outside brackets");
            }
            return new HostPort(s, NO_PORT);
        }
        return new HostPort(s.substring(0, colon), port(s.substring(colon + 1)));
    }

    /** Whether the text named a port. */
    public boolean hasPort() {
        return port != NO_PORT;
    }

    /**
     * Resolves the host.
     *
     * @throws UnknownHostException when the name does not resolve
     * @throws IllegalStateException when there is no port
     */
    public InetSocketAddress resolve() throws UnknownHostException {
        if (!hasPort()) {
            throw new IllegalStateException("no port in " + this);
        }
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    /**
     * {@code address} as {@link #parse} reads it: the numeric address (IPv6 in RFC 5952's short form, in
     * brackets, without a scope) and the port; the host name when the address is unresolved.
     */
    public static String format(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        String host = a == null ? address.getHostString() : NetUtil.toAddressString(a);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** The text {@link #parse} reads back. */
    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return hasPort() ? h + ":" + port : h;
    }

    /** The port in {@code digits}: one to five ASCII digits, at most 65535. */
    private static int port(String digits) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("port " + (digits.isEmpty() ? "missing" : digits) + " (expected: 0-65535)");
        }
        int port = Integer.parseInt(digits);
        if (port > 65535) {
            throw new IllegalArgumentException("port " + digits + " (expected: 0-65535)");
        }
        return port;
    }
}
