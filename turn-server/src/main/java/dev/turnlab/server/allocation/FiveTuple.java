package dev.turnlab.server.allocation;

import dev.turnlab.codec.HostPort;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;

/** The client's 5-tuple that identifies an allocation (RFC 8656 §2): transport, client and server address. */
public record FiveTuple(Transport transport, InetSocketAddress client, InetSocketAddress server) {

    /** Checks that no part is missing. */
    public FiveTuple {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(server, "server");
    }

    @Override
    public String toString() {
        return transport.name().toLowerCase(Locale.ROOT) + " " + format(client) + "->" + format(server);
    }

    /** An address as {@code ip:port}, IPv6 in brackets, without host name look-ups. */
    public static String format(InetSocketAddress a) {
        return HostPort.format(a);
    }
}
