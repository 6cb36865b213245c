package dev.turnlab.server.relay.tcp;

import dev.turnlab.server.allocation.Allocation;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The peer data connections of one TCP allocation (RFC 6062 §5.2, §5.3), by peer transport address: those
 * being connected, those waiting for their ConnectionBind and those bound. Touched on the allocation's
 * event loop only.
 */
final class TcpAllocation {

    private final Allocation allocation;
    private final Map<InetSocketAddress, PeerConnection> byPeer = new HashMap<>(4);
    private boolean closed;

    TcpAllocation(Allocation allocation) {
        this.allocation = allocation;
    }

    Allocation allocation() {
        return allocation;
    }

    /** Whether a connection with {@code peer} exists in any state (§5.2: then 446). */
    boolean has(InetSocketAddress peer) {
        return byPeer.containsKey(peer);
    }

    int size() {
        return byPeer.size();
    }

    void add(PeerConnection connection) {
        byPeer.put(connection.peer(), connection);
    }

    void remove(PeerConnection connection) {
        byPeer.remove(connection.peer(), connection);
    }

    boolean isClosed() {
        return closed;
    }

    /** Marks the allocation gone and returns its connections, for the caller to close. */
    List<PeerConnection> close() {
        closed = true;
        List<PeerConnection> all = new ArrayList<>(byPeer.values());
        byPeer.clear();
        return all;
    }
}
