package dev.turnlab.server.admin;

import dev.turnlab.server.fault.FaultReport;
import dev.turnlab.server.ServerCounters;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server's counters and gauges at one moment, as {@code /metrics} exposes them. Counters only grow
 * while the server runs; gauges ({@code allocationsActive}, ports, ...) are what they were when taken.
 * The maps keep their label order: {@link ServerCounters#METHODS} and friends, error responses sorted.
 *
 * @param version turnlab's version
 * @param started when the server started, from its clock
 * @param uptime how long it has run, from the monotonic clock
 * @param allocationsActive allocations that exist now
 * @param allocationsCreated allocations created since the start
 * @param allocationsDeleted allocations deleted, by {@link ServerCounters#DELETIONS} reason
 * @param permissionsActive unexpired permissions over all allocations (RFC 8656 §9)
 * @param channelsActive unexpired channel bindings over all allocations (RFC 8656 §12)
 * @param relayed datagrams and payload bytes relayed in each direction
 * @param requests requests received, by {@link ServerCounters#METHODS} label
 * @param authChallenges 401 challenges to requests without credentials (RFC 8489 §9.2.4 bullet 1)
 * @param authFailures credentials refused, by {@link ServerCounters#AUTH_FAILURES} reason
 * @param errorResponses error responses other than challenges, by method and code
 * @param dropped packets neither answered nor relayed, by reason
 * @param relayPortsInUse relay ports held by allocations and RESERVATION-TOKENs (and by an Allocate while it binds)
 * @param relayPortsFree relay ports free, including those in their back-off after a failed bind
 * @param codec what the TCP/TLS stream decoders saw, by counter name
 * @param relayToRelayPermissions permissions and channel bindings installed or refreshed toward a live relay
 *        of this server (relay to relay)
 * @param connections TCP/TLS connections open, refused, and closed for want of a request, a whole frame or an
 *        allocation in time, or idle
 * @param faults the lab faults on and what they dropped
 * @param drain whether the server is draining, and the Allocate requests sent to an alternate server
 * @param bandwidth the bandwidth limits (max-bps, bps-capacity), what is reserved, and what they refused and dropped
 * @param tcpRelays the peer data connections of TCP relays (RFC 6062): open, established, and what failed
 * @param tls the TLS listener's certificate and its reloads
 * @param allocationsPeak the most allocations that existed at once since the start
 * @param latency how long allocations took to set up and datagrams stayed in the server
 * @param runtime the process and the JVM: CPU, memory, file descriptors, garbage collection, threads, classes
 * @param redis what this node's use of the cluster's Redis did: users looked up, stale and refused logins, events
 * @param cluster the cluster this server is a node of, {@link Cluster#NONE} on its own
 */
public record MetricsSnapshot(String version, Instant started, Duration uptime,
        int allocationsActive, long allocationsCreated, Map<String, Long> allocationsDeleted,
        int permissionsActive, int channelsActive, Traffic relayed,
        Map<String, Long> requests, long authChallenges, Map<String, Long> authFailures,
        Map<ServerCounters.ErrorResponse, Long> errorResponses, Map<String, Long> dropped,
        int relayPortsInUse, int relayPortsFree, Map<String, Long> codec, long relayToRelayPermissions,
        Connections connections, FaultReport faults, Drain drain, Bandwidth bandwidth, TcpRelays tcpRelays,
        Tls tls, long allocationsPeak, Latency latency, RuntimeFigures runtime, RedisUse redis, Cluster cluster) {

    /**
     * This node's use of the cluster's Redis: users (and shared secrets) looked up, logins checked against
     * cached credentials past their time to live while Redis was unavailable, logins refused unchecked (500)
     * by {@code ClusterCounters.Refusal} label, and allocation events written or lost.
     */
    public record RedisUse(long lookups, long staleLogins, Map<String, Long> loginsRefused, long eventsPublished,
            long eventsFailed) {

        /** Copies the map, keeping its order. */
        public RedisUse {
            loginsRefused = ordered(loginsRefused);
        }
    }

    /**
     * The cluster of servers sharing one Redis, as this node sees it.
     *
     * @param enabled whether this server is a node of a cluster
     * @param node this node's name in the registry, or null before it joined
     * @param redisUp whether the connection to Redis is up now
     * @param nodes the live nodes of the registry (this one included), by name, as of the last heartbeat
     * @param redirects Allocate requests sent to another node of the registry (300 Try Alternate)
     * @param quotaFallbacks admissions the local user count decided because Redis did not answer in time
     */
    public record Cluster(boolean enabled, String node, boolean redisUp, List<ClusterNode> nodes, long redirects,
            long quotaFallbacks) {

        /** A server on its own. */
        public static final Cluster NONE = new Cluster(false, null, false, List.of(), 0, 0);

        /** Copies the list. */
        public Cluster {
            nodes = List.copyOf(nodes);
        }
    }

    /**
     * A live node of the cluster as its last heartbeat announced it.
     *
     * @param name its name
     * @param address where clients reach it
     * @param allocations its allocations
     * @param quota its total quota, 0 for none
     * @param relayPortsFree its relay ports free
     * @param relayPorts its relay ports in all
     * @param draining whether it takes no new allocation
     * @param loadPercent the larger of its relay ports taken and its total quota used, in percent
     */
    public record ClusterNode(String name, InetSocketAddress address, int allocations, int quota, int relayPortsFree,
            int relayPorts, boolean draining, int loadPercent) {
    }

    /**
     * The server's latency histograms: from an authenticated Allocate's arrival to its success response,
     * and from a ChannelData datagram's arrival to the flush that hands it to the kernel (one in 64 sampled).
     */
    public record Latency(LatencyHistogram.Snapshot allocationSetup, LatencyHistogram.Snapshot relay) {
    }

    /**
     * The peer data connections of TCP relays (RFC 6062): how many are open now, how many were established
     * (Connect or a peer's connection), and the failures by {@link ServerCounters#TCP_RELAY_FAILURES} label.
     */
    public record TcpRelays(long active, long opened, Map<String, Long> failures) {

        /** Copies the map, keeping its order. */
        public TcpRelays {
            failures = ordered(failures);
        }
    }

    /**
     * coturn's bandwidth limits and what they did, in bytes per second and counts.
     *
     * @param maxBps each allocation's limit each way (0: none)
     * @param capacity the server's budget (0: none)
     * @param reserved what the allocations that exist (or are being created) reserve of it
     * @param refusedAllocations Allocate requests that did not fit the budget (508, or 300 to an alternate)
     * @param dropped datagrams and payload bytes dropped each way over an allocation's limit
     */
    public record Bandwidth(long maxBps, long capacity, long reserved, long refusedAllocations, Traffic dropped) {

        /** No limits, nothing dropped. */
        public static final Bandwidth NONE = new Bandwidth(0, 0, 0, 0, Traffic.NONE);
    }

    /**
     * The TLS listener's certificate and how its reloads went.
     *
     * @param subject the served certificate's subject, or null without a TLS listener
     * @param expiry when the served certificate expires, or null without a TLS listener
     * @param reloads reloads that served a new certificate
     * @param reloadFailures reloads that kept the old one because a file was bad
     */
    public record Tls(String subject, Instant expiry, long reloads, long reloadFailures) {

        /** No TLS listener. */
        public static final Tls NONE = new Tls(null, null, 0, 0);
    }

    /**
     * Whether the server is draining, and the Allocate requests answered 300 Try Alternate (RFC 8489 §10), by
     * reason ({@code full}, {@code draining}).
     */
    public record Drain(boolean draining, Map<String, Long> redirects) {

        /** Not draining, nothing redirected. */
        public static final Drain NONE = new Drain(false, Map.of("full", 0L, "draining", 0L));

        /** Copies the map, keeping its order. */
        public Drain {
            redirects = ordered(redirects);
        }
    }

    /**
     * TCP and TLS connections: how many are open, how many were refused on accept by
     * {@code ConnectionRefusal} label, how many without an allocation the server closed by
     * {@code ConnectionTimeout} label.
     */
    public record Connections(long open, Map<String, Long> refused, Map<String, Long> timedOut) {

        /** Copies the maps, keeping their order. */
        public Connections {
            refused = ordered(refused);
            timedOut = ordered(timedOut);
        }
    }

    /** Datagrams and payload bytes client → peer and peer → client (relayed, or dropped where so named). */
    public record Traffic(long packetsToPeer, long bytesToPeer, long packetsToClient, long bytesToClient) {

        /** No traffic. */
        public static final Traffic NONE = new Traffic(0, 0, 0, 0);

        /** The sum of this and {@code other}. */
        public Traffic plus(Traffic other) {
            return new Traffic(packetsToPeer + other.packetsToPeer, bytesToPeer + other.bytesToPeer,
                    packetsToClient + other.packetsToClient, bytesToClient + other.bytesToClient);
        }
    }

    /** Copies the maps, keeping their order. */
    public MetricsSnapshot {
        allocationsDeleted = ordered(allocationsDeleted);
        requests = ordered(requests);
        authFailures = ordered(authFailures);
        errorResponses = Collections.unmodifiableMap(new TreeMap<>(errorResponses));
        dropped = ordered(dropped);
        codec = ordered(codec);
    }

    /** Allocate requests refused, by error code (challenges excepted): what coturn operators call allocation failures. */
    public Map<Integer, Long> allocationFailures() {
        Map<Integer, Long> byCode = new TreeMap<>();
        errorResponses.forEach((k, v) -> {
            if (k.method().equals("allocate")) {
                byCode.merge(k.code(), v, Long::sum);
            }
        });
        return Collections.unmodifiableMap(byCode);
    }

    private static <K, V> Map<K, V> ordered(Map<K, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
