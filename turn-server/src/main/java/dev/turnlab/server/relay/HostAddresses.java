package dev.turnlab.server.relay;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The addresses of this host: where a socket bound to a wildcard address can be reached. */
final class HostAddresses {

    private static final Logger LOG = LoggerFactory.getLogger(HostAddresses.class);

    private HostAddresses() {
    }

    /**
     * Every address of every interface, up or not, as {@link NetworkInterface#getByInetAddress} would find
     * it; empty (loopback is recognised without it) when the interfaces cannot be listed.
     */
    static Set<InetAddress> snapshot() {
        Set<InetAddress> addresses = new HashSet<>();
        try {
            var interfaces = NetworkInterface.getNetworkInterfaces();
            while (interfaces != null && interfaces.hasMoreElements()) {
                var each = interfaces.nextElement().getInetAddresses();
                while (each.hasMoreElements()) {
                    addresses.add(each.nextElement());
                }
            }
        } catch (SocketException e) {
            LOG.debug("cannot list interfaces: {}", e.toString());
        }
        return Set.copyOf(addresses);
    }
}
