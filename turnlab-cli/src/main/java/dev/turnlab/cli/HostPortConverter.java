package dev.turnlab.cli;

import dev.turnlab.codec.HostPort;
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
        HostPort hostPort;
        try {
            hostPort = HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(text, EXPECTED);
        }
        if (hostPort.port() < 1) {
            throw new InvalidValueException(text, EXPECTED);
        }
        try {
            return hostPort.resolve();
        } catch (UnknownHostException e) {
            throw new InvalidValueException(text, "HOST:PORT with a HOST that resolves");
        }
    }

    /** {@code address} as {@link #parse(String)} reads it: the numeric address, IPv6 in brackets, and the port. */
    public static String format(InetSocketAddress address) {
        return HostPort.format(address);
    }
}
