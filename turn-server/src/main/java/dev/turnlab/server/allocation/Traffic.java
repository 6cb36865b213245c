package dev.turnlab.server.allocation;

/**
 * Datagrams and payload bytes relayed each way, counted on one event loop (an allocation's, or the
 * deleted allocations of one loop): plain fields, no atomics, read on that loop only.
 */
public final class Traffic {

    private long packetsToPeer;
    private long bytesToPeer;
    private long packetsToClient;
    private long bytesToClient;

    /** Counts a datagram relayed from the client to a peer. */
    public void countToPeer(int bytes) {
        packetsToPeer++;
        bytesToPeer += bytes;
    }

    /** Counts a datagram relayed from a peer to the client. */
    public void countToClient(int bytes) {
        packetsToClient++;
        bytesToClient += bytes;
    }

    /** Adds the counts of {@code other} to these. */
    public void add(Traffic other) {
        packetsToPeer += other.packetsToPeer;
        bytesToPeer += other.bytesToPeer;
        packetsToClient += other.packetsToClient;
        bytesToClient += other.bytesToClient;
    }

    /** Datagrams relayed client → peer. */
    public long packetsToPeer() {
        return packetsToPeer;
    }

    /** Payload bytes relayed client → peer. */
    public long bytesToPeer() {
        return bytesToPeer;
    }

    /** Datagrams relayed peer → client. */
    public long packetsToClient() {
        return packetsToClient;
    }

    /** Payload bytes relayed peer → client. */
    public long bytesToClient() {
        return bytesToClient;
    }
}
