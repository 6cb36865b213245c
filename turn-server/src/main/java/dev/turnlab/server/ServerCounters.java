package dev.turnlab.server;

import dev.turnlab.server.handler.ConnectionTimeout;
import dev.turnlab.server.handler.ConnectionRefusal;
import dev.turnlab.codec.Method;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.Deletion;
import dev.turnlab.server.allocation.Relay;
import dev.turnlab.server.allocation.Traffic;
import dev.turnlab.server.admin.LatencyHistogram;
import dev.turnlab.server.admin.MetricsSnapshot;
import dev.turnlab.server.auth.AuthResult;
import dev.turnlab.server.relay.DataPath;
import dev.turnlab.server.relay.RelayHandler;
import io.netty.util.concurrent.EventExecutor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Server-wide counters of requests, refusals, allocations and bad input, for tests and operators. Every
 * update is a {@link LongAdder} increment or, for the traffic of deleted allocations, a plain field of
 * the allocation's own event loop: nothing on the data path takes a lock or shares a cache line.
 */
public final class ServerCounters {

    /** The {@code method} label of the requests the server answers; every other method is {@code other}. */
    public static final List<String> METHODS =
            List.of("binding", "allocate", "refresh", "create_permission", "channel_bind", "connect", "connection_bind",
                    "other");
    /**
     * What went wrong with TCP relays (RFC 6062), the labels of {@link #tcpRelayFailureCounts}: a Connect that
     * failed or timed out (447), a ConnectionBind for no waiting connection (400) or another user's (441), a
     * peer data connection closed for want of a ConnectionBind in time, a peer connection to a relay refused
     * (no permission, peer quota), and a peer or client data connection broken by the network (a reset).
     */
    public static final List<String> TCP_RELAY_FAILURES =
            List.of("connect_failed", "unknown_bind", "bind_timeout", "peer_refused", "reset");
    /**
     * Why credentials were refused: the {@link AuthResult.Failure} labels (RFC 8489 §9.2.4, in the order of
     * its bullets, then the login limits), the first 401 challenge excepted.
     */
    public static final List<String> AUTH_FAILURES = Arrays.stream(AuthResult.Failure.values())
            .filter(f -> f != AuthResult.Failure.CHALLENGE).map(AuthResult.Failure::label).toList();
    /** Why allocations were deleted: the {@link Deletion} labels. */
    public static final List<String> DELETIONS = Arrays.stream(Deletion.values()).map(Deletion::label).toList();

    private final LongAdder[] requests = adders(METHODS.size());
    private final LongAdder challenges = new LongAdder();
    private final ClusterCounters cluster = new ClusterCounters();
    private final LongAdder[] authFailures = adders(AUTH_FAILURES.size());
    private final Map<ErrorResponse, LongAdder> errorResponses = new ConcurrentHashMap<>();
    private final LongAdder allocationsCreated = new LongAdder();
    private final LongAdder[] deletions = adders(DELETIONS.size());
    private final Map<EventExecutor, Retired> retired = new ConcurrentHashMap<>();

    private final LongAdder malformed = new LongAdder();
    private final LongAdder unknownPackets = new LongAdder();
    private final LongAdder droppedChannelData = new LongAdder();
    private final LongAdder droppedIndications = new LongAdder();
    private final LongAdder authRejections = new LongAdder();
    private final LongAdder selfRelayRefused = new LongAdder();
    private final LongAdder droppedToClient = new LongAdder();
    private final LongAdder droppedToPeer = new LongAdder();
    private final LongAdder relayToRelayPermissions = new LongAdder();
    private final LongAdder bandwidthRefused = new LongAdder();
    private final LongAdder openConnections = new LongAdder();
    private final LongAdder[] refusedConnections = adders(ConnectionRefusal.values().length);
    private final LongAdder[] timedOutConnections = adders(ConnectionTimeout.values().length);
    private final LongAdder tcpOpened = new LongAdder();
    private final LongAdder tcpActive = new LongAdder();
    private final LongAdder[] tcpFailures = adders(TCP_RELAY_FAILURES.size());
    private final LongAdder tcpBytesToPeer = new LongAdder();
    private final LongAdder tcpBytesToClient = new LongAdder();
    private final LatencyHistogram allocationSetup = LatencyHistogram.allocationSetup();
    private final LatencyHistogram relayLatency = LatencyHistogram.relayLatency();

    /** From an authenticated Allocate request's arrival to its success response, one per allocation created. */
    public LatencyHistogram allocationSetup() {
        return allocationSetup;
    }

    /**
     * From a ChannelData datagram's arrival (client to peer) or a peer's datagram's (peer to client) to the
     * flush that hands it to the kernel; one datagram in {@link LatencyHistogram#SAMPLE_MASK} + 1.
     */
    public LatencyHistogram relayLatency() {
        return relayLatency;
    }

    /** Counts bytes a TCP relay passed from a client data connection to its peer (RFC 6062 §5.4). */
    public void tcpRelayedToPeer(int bytes) {
        tcpBytesToPeer.add(bytes);
    }

    /** Counts bytes a TCP relay passed from a peer to its client data connection. */
    public void tcpRelayedToClient(int bytes) {
        tcpBytesToClient.add(bytes);
    }

    /** Bytes TCP relays passed so far, as traffic without packet counts (a byte stream has none). */
    public MetricsSnapshot.Traffic tcpRelayed() {
        return new MetricsSnapshot.Traffic(0, tcpBytesToPeer.sum(), 0, tcpBytesToClient.sum());
    }

    /** Counts a peer data connection of a TCP relay established (RFC 6062 §5.2, §5.3). */
    public void tcpConnectionOpened() {
        tcpOpened.increment();
        tcpActive.increment();
    }

    /** Counts an established peer data connection that closed. */
    public void tcpConnectionClosed() {
        tcpActive.decrement();
    }

    /** Counts a Connect whose connection to the peer failed or timed out (RFC 6062 §5.2: 447). */
    public void tcpConnectFailed() {
        tcpFailures[0].increment();
    }

    /** Counts a ConnectionBind whose CONNECTION-ID names no connection waiting for this user (RFC 6062 §5.4). */
    public void tcpUnknownBind() {
        tcpFailures[1].increment();
    }

    /** Counts a peer data connection closed because no ConnectionBind claimed it in time (RFC 6062 §5.2, §5.3). */
    public void tcpBindTimedOut() {
        tcpFailures[2].increment();
    }

    /** Counts a connection from a peer to a relay that was closed at once (no permission, peer quota; §5.3). */
    public void tcpPeerRefused() {
        tcpFailures[3].increment();
    }

    /** Counts a peer or client data connection that the network broke (reset, broken pipe). */
    public void tcpConnectionReset() {
        tcpFailures[4].increment();
    }

    /** Peer data connections of TCP relays established so far. */
    public long tcpConnectionsOpenedCount() {
        return tcpOpened.sum();
    }

    /** Peer data connections of TCP relays open now. */
    public long tcpConnectionsActiveCount() {
        return tcpActive.sum();
    }

    /** TCP relay failures so far, by {@link #TCP_RELAY_FAILURES} label. */
    public Map<String, Long> tcpRelayFailureCounts() {
        return byLabel(TCP_RELAY_FAILURES, tcpFailures);
    }

    /** Counts a TCP or TLS connection accepted and admitted; {@link #connectionClosed} when it closes. */
    public void connectionOpened() {
        openConnections.increment();
    }

    /** Counts an admitted TCP or TLS connection that closed. */
    public void connectionClosed() {
        openConnections.decrement();
    }

    /** Counts a TCP or TLS connection closed as soon as it was accepted. */
    public void connectionRefused(ConnectionRefusal why) {
        refusedConnections[why.ordinal()].increment();
    }

    /** Counts a TCP or TLS connection without an allocation that the server closed. */
    public void connectionTimedOut(ConnectionTimeout why) {
        timedOutConnections[why.ordinal()].increment();
    }

    /** TCP and TLS connections open now. */
    public long openConnectionCount() {
        return openConnections.sum();
    }

    /** Connections refused so far, by {@link ConnectionRefusal} label. */
    public Map<String, Long> connectionRefusalCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (ConnectionRefusal r : ConnectionRefusal.values()) {
            counts.put(r.label(), refusedConnections[r.ordinal()].sum());
        }
        return counts;
    }

    /** Connections without an allocation closed by the server so far, by {@link ConnectionTimeout} label. */
    public Map<String, Long> connectionTimeoutCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (ConnectionTimeout t : ConnectionTimeout.values()) {
            counts.put(t.label(), timedOutConnections[t.ordinal()].sum());
        }
        return counts;
    }

    /** Counts a packet that was not a valid STUN message or ChannelData. */
    public void malformed() {
        malformed.increment();
    }

    /** Counts a packet that is neither STUN nor ChannelData (RFC 7983 demultiplexing). */
    public void unknownPacket() {
        unknownPackets.increment();
    }

    /** Counts ChannelData without an allocation or a bound channel (RFC 8656 §12.6). */
    public void droppedChannelData() {
        droppedChannelData.increment();
    }

    /** Counts a Send indication that was not relayed (RFC 8656 §10.2). */
    public void droppedIndication() {
        droppedIndications.increment();
    }

    /** Counts a Send indication dropped because its peer is one of the server's own sockets. */
    public void selfRelayRefused() {
        selfRelayRefused.increment();
    }

    /** Send indications to the server's own sockets dropped so far. */
    public long selfRelayRefusedCount() {
        return selfRelayRefused.sum();
    }

    /**
     * Counts {@code n} permissions or channel bindings installed or refreshed toward a live relay of this
     * server (relay to relay, ICE's relay-relay pair).
     */
    public void relayToRelayPermissions(int n) {
        if (n > 0) {
            relayToRelayPermissions.add(n);
        }
    }

    /** Permissions and channel bindings toward this server's own live relays so far. */
    public long relayToRelayPermissionCount() {
        return relayToRelayPermissions.sum();
    }

    /**
     * Counts relayed data dropped because the way to the client would not take it: its TCP/TLS connection,
     * or for UDP the listener socket, past its high water mark.
     */
    public void droppedToClient() {
        droppedToClient.increment();
    }

    /** Counts data from a client dropped because the relay socket toward its peer would not take it. */
    public void droppedToPeer() {
        droppedToPeer.increment();
    }

    /** Data from clients dropped at full relay sockets so far. */
    public long droppedToPeerCount() {
        return droppedToPeer.sum();
    }

    /** Counts an Allocate refused because the bandwidth budget (bps-capacity) had no room for its max-bps. */
    public void bandwidthRefused() {
        bandwidthRefused.increment();
    }

    /** Allocate requests refused for want of bandwidth budget so far (answered 508, or 300 to an alternate). */
    public long bandwidthRefusedCount() {
        return bandwidthRefused.sum();
    }

    /** Counts what {@link DataPath#channelDataToPeer} or {@link DataPath#sendToPeer} did not relay. */
    public void notRelayed(DataPath.ToPeer outcome) {
        switch (outcome) {
            case NOT_BOUND -> droppedChannelData();
            case RELAY_FULL -> droppedToPeer();
            // Counted by the allocation, with its bytes, where its other traffic is counted.
            case RELAYED, OVER_RATE -> { }
        }
    }

    /** Relayed frames dropped for a client that did not read fast enough, so far. */
    public long droppedToClientCount() {
        return droppedToClient.sum();
    }

    /** Malformed packets so far. */
    public long malformedCount() {
        return malformed.sum();
    }

    /** Non-STUN, non-ChannelData packets so far. */
    public long unknownPacketCount() {
        return unknownPackets.sum();
    }

    /** Dropped ChannelData messages so far. */
    public long droppedChannelDataCount() {
        return droppedChannelData.sum();
    }

    /** Dropped Send indications so far. */
    public long droppedIndicationCount() {
        return droppedIndications.sum();
    }

    /** Authentication rejections so far. */
    public long authRejectionCount() {
        return authRejections.sum();
    }

    /** An error response by the method of its request (a {@link #METHODS} label) and its code. */
    public record ErrorResponse(String method, int code) implements Comparable<ErrorResponse> {
        @Override
        public int compareTo(ErrorResponse o) {
            int byMethod = method.compareTo(o.method);
            return byMethod != 0 ? byMethod : Integer.compare(code, o.code);
        }
    }

    /**
     * Traffic of the deleted allocations of one event loop: written and read only on that loop, so that
     * live and deleted allocations can be summed there without a moment where one is counted twice or not at all.
     */
    public static final class Retired {
        private final Traffic traffic = new Traffic();
        private long peerDrops;

        /** Traffic relayed by deleted allocations. */
        public Traffic traffic() {
            return traffic;
        }

        /** Peer datagrams dropped by the relays of deleted allocations (no permission). */
        public long peerDrops() {
            return peerDrops;
        }
    }

    /** Counts a request (RFC 8489 §6.3) by method. */
    public void request(Method method) {
        requests[methodIndex(method)].increment();
    }

    /**
     * Counts an error response to a request; a 401 to a request without MESSAGE-INTEGRITY is the first
     * challenge of the long-term mechanism (RFC 8489 §9.2.4 bullet 1), counted apart from refusals.
     */
    public void errorResponse(Method method, int code, boolean hadIntegrity) {
        if (code == 401 && !hadIntegrity) {
            challenges.increment();
            return;
        }
        errorResponses.computeIfAbsent(new ErrorResponse(METHODS.get(methodIndex(method)), code),
                k -> new LongAdder()).increment();
    }

    /** Counts a request refused by the credential checks, by reason (never the first 401 challenge). */
    public void authRejection(AuthResult.Rejected rejected) {
        authRejections.increment();
        // CHALLENGE is first and never counted here: the other failures follow it in AUTH_FAILURES order.
        authFailures[rejected.failure().ordinal() - 1].increment();
    }

    /** Counts an allocation that was created. */
    public void allocationCreated() {
        allocationsCreated.increment();
    }

    /**
     * Counts an allocation deleted for {@code why} and keeps its traffic; called once, on the
     * allocation's event loop, before its relay sockets close.
     */
    public void allocationDeleted(Allocation allocation, Deletion why) {
        deletions[why.ordinal()].increment();
        Retired r = retired.computeIfAbsent(allocation.client().eventLoop(), loop -> new Retired());
        r.traffic.add(allocation.traffic());
        r.peerDrops += relayDrops(allocation);
    }

    /** The traffic of allocations deleted on {@code loop}, or null; read it on that loop only. */
    public Retired retired(EventExecutor loop) {
        return retired.get(loop);
    }

    /** Peer datagrams the relays of {@code allocation} dropped so far; call on its event loop. */
    public static long relayDrops(Allocation allocation) {
        long dropped = 0;
        for (Relay relay : allocation.relays()) {
            RelayHandler handler = relay.channel().pipeline().get(RelayHandler.class);
            dropped += handler == null ? 0 : handler.dropped();
        }
        return dropped;
    }

    /** Requests so far by {@link #METHODS} label. */
    public Map<String, Long> requestCounts() {
        return byLabel(METHODS, requests);
    }

    /** 401 challenges to requests without credentials so far. */
    public long challengeCount() {
        return challenges.sum();
    }

    /** Credential refusals so far by {@link #AUTH_FAILURES} reason. */
    public Map<String, Long> authFailureCounts() {
        return byLabel(AUTH_FAILURES, authFailures);
    }

    /** Error responses so far (challenges excepted) by method and code, in order. */
    public Map<ErrorResponse, Long> errorResponseCounts() {
        Map<ErrorResponse, Long> counts = new TreeMap<>();
        errorResponses.forEach((k, v) -> counts.put(k, v.sum()));
        return counts;
    }

    /** Allocations created so far. */
    public long allocationsCreatedCount() {
        return allocationsCreated.sum();
    }

    /** Allocations deleted so far by {@link #DELETIONS} reason. */
    public Map<String, Long> deletionCounts() {
        return byLabel(DELETIONS, deletions);
    }

    private static int methodIndex(Method method) {
        return switch (method.code()) {
            case 0x001 -> 0;
            case 0x003 -> 1;
            case 0x004 -> 2;
            case 0x008 -> 3;
            case 0x009 -> 4;
            case 0x00A -> 5;
            case 0x00B -> 6;
            default -> 7;
        };
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    private static Map<String, Long> byLabel(List<String> labels, LongAdder[] adders) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            counts.put(labels.get(i), adders[i].sum());
        }
        return counts;
    }

    /** What this node's use of the cluster's Redis did (all zero on its own). */
    public ClusterCounters cluster() {
        return cluster;
    }
}
