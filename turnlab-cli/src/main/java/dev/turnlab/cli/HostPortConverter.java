package dev.turnlab.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.ITypeConverter;

/**
 * {@code HOST:PORT} as a resolved address: a name or an IPv4 address, or an IPv6 address in brackets
 * ({@code [::1]:3478}, as RFC 3986 writes it), then a port of 1-65535. An IPv6 address without brackets is
 * refused: in {@code ::1:3478} the port cannot be told from the address.
 */
public final class HostPortConverter implements ITypeConverter<InetSocketAddress> {

    private static final String EXPECTED = "HOST:PORT with PORT 1-65535, an IPv6 address in brackets";

    /** Converts {@code value} with {@link #parse(String)}. */
    @Override
    public InetSocketAddress convert(String value) {
        return parse(value);
    }

    /** Parses and resolves {@code text}. */
    public static InetSocketAddress parse(String text) {
        String s = text == null ? "" : text.strip();
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            throw new InvalidValueException(text, EXPECTED);
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
            host = host.substring(1, host.length() - 1);
            if (host.indexOf(':') < 0) {
                throw new InvalidValueException(text, EXPECTED); // brackets are for IPv6 only
            }
        } else if (host.indexOf(':') >= 0 || host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
            throw new InvalidValueException(text, EXPECTED);
        }
        int port = port(s.substring(colon + 1));
        if (port < 1) {
            throw new InvalidValueException(text, EXPECTED);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new InvalidValueException(text, "HOST:PORT with a HOST that resolves");
        }
    }

    /** {@code address} as {@link #parse(String)} reads it: the numeric address, IPv6 in brackets, and the port. */
    public static String format(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        String host = a == null ? address.getHostString() : a.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** The port of 1-65535 in {@code digits}, or -1. */
    private static int port(String digits) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int port = Integer.parseInt(digits);
        return port <= 65535 ? port : -1;
    }
}
