package dev.turnlab.server;

import dev.turnlab.server.handler.LogText;
import dev.turnlab.server.relay.RelayEndpoints;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Checks at start that relay sockets can be bound to the configured relay addresses: a probe socket on
 * each address, port 0, bound and closed at once. An address that is not this host's (a public address
 * behind a NAT given as {@code --relay-address} instead of {@code --external-address}) would otherwise be
 * accepted and fail every Allocate with 508.
 */
final class RelayAddressCheck {

    private RelayAddressCheck() {
    }

    /** Throws {@link IllegalArgumentException} naming the first relay address that cannot be bound. */
    static void verify(RelayEndpoints endpoints) {
        for (InetAddress address : new InetAddress[] {endpoints.bindV4(), endpoints.bindV6()}) {
            if (address != null) {
                probe(address);
            }
        }
    }

    private static void probe(InetAddress address) {
        try (DatagramSocket probe = new DatagramSocket(null)) {
            probe.bind(new InetSocketAddress(address, 0));
        } catch (IOException e) {
            throw new IllegalArgumentException("relayAddress: " + address.getHostAddress() + " (cannot bind: "
                    + LogText.socketError(e) + "; expected: an address of this host, the public one behind a"
                    + " NAT goes in --external-address)", e);
        }
    }
}
