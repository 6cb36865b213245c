package dev.turnlab.server.admin;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

/**
 * What {@code /status} shows, like the "TURN relays" status page of an Expressway-E: the server, its
 * totals, and every active allocation.
 *
 * @param server the server's identity and listeners
 * @param time when the snapshot was taken, from the server's clock
 * @param totals the metrics taken together with the allocations
 * @param allocations the active allocations, oldest first
 */
public record StatusSnapshot(Server server, Instant time, MetricsSnapshot totals, List<AllocationStatus> allocations) {

    /** Copies the list. */
    public StatusSnapshot {
        allocations = List.copyOf(allocations);
    }

    /**
     * The server's identity.
     *
     * @param version turnlab's version
     * @param profile the profile's name, {@code standard} or {@code expressway}
     * @param realm the realm (RFC 8489 §14.9)
     * @param software the SOFTWARE of its responses (RFC 8489 §14.14)
     * @param listeners every bound listener
     * @param relayPortMin the lowest relay port
     * @param relayPortMax the highest relay port
     * @param relayAddresses the advertised relay addresses (one per family)
     * @param ioTransport Netty's I/O transport in use: {@code io_uring}, {@code epoll} or {@code nio}
     */
    public record Server(String version, String profile, String realm, String software, List<Listener> listeners,
            int relayPortMin, int relayPortMax, List<InetAddress> relayAddresses, String ioTransport) {

        /** Copies the lists. */
        public Server {
            listeners = List.copyOf(listeners);
            relayAddresses = List.copyOf(relayAddresses);
        }
    }

    /** A bound listener: {@code udp}, {@code tcp} or {@code tls}, and its address. */
    public record Listener(String transport, InetSocketAddress address) {
    }

    /**
     * One allocation (RFC 8656 §2.2).
     *
     * @param id the allocation's id, as on its log lines
     * @param username the user whose credentials created it
     * @param transport the client transport, {@code udp}, {@code tcp} or {@code tls}
     * @param client the client's address (with {@code server} and the transport, the 5-tuple)
     * @param server the server address the client reached
     * @param relayed the relayed transport addresses, one per family
     * @param created when it was created
     * @param expires when it expires unless refreshed
     * @param permissions the peer IP addresses with a permission (RFC 8656 §9)
     * @param channels the channel bindings (RFC 8656 §12)
     * @param traffic what it relayed each way
     * @param maxBps its bandwidth limit each way in bytes per second (0: none)
     * @param overRate what it dropped each way over that limit
     */
    public record AllocationStatus(String id, String username, String transport, InetSocketAddress client,
            InetSocketAddress server, List<InetSocketAddress> relayed, Instant created, Instant expires,
            List<InetAddress> permissions, List<Channel> channels, MetricsSnapshot.Traffic traffic, long maxBps,
            MetricsSnapshot.Traffic overRate) {

        /** Copies the lists. */
        public AllocationStatus {
            relayed = List.copyOf(relayed);
            permissions = List.copyOf(permissions);
            channels = List.copyOf(channels);
        }
    }

    /** A channel number bound to a peer until {@code expires} (RFC 8656 §12). */
    public record Channel(int number, InetSocketAddress peer, Instant expires) {
    }
}
