package dev.turnlab.server.allocation;

/**
 * Datagrams and payload bytes relayed each way, and dropped each way over the allocation's bandwidth limit
 * ({@code max-bps}), counted on one event loop (an allocation's, or the
 * deleted allocations of one loop): plain fields, no atomics, read on that loop only.
 */
public final class Traffic {

    private long packetsToPeer;
    private long bytesToPeer;
    private long packetsToClient;
    private long bytesToClient;
    private long overRatePacketsToPeer;
    private long overRateBytesToPeer;
    private long overRatePacketsToClient;
    private long overRateBytesToClient;

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

    /** Counts a datagram from the client dropped over the bandwidth limit. */
    public void countOverRateToPeer(int bytes) {
        overRatePacketsToPeer++;
        overRateBytesToPeer += bytes;
    }

    /** Counts a datagram from a peer dropped over the bandwidth limit. */
    public void countOverRateToClient(int bytes) {
        overRatePacketsToClient++;
        overRateBytesToClient += bytes;
    }

    /** Adds the counts of {@code other} to these. */
    public void add(Traffic other) {
        packetsToPeer += other.packetsToPeer;
        bytesToPeer += other.bytesToPeer;
        packetsToClient += other.packetsToClient;
        bytesToClient += other.bytesToClient;
        overRatePacketsToPeer += other.overRatePacketsToPeer;
        overRateBytesToPeer += other.overRateBytesToPeer;
        overRatePacketsToClient += other.overRatePacketsToClient;
        overRateBytesToClient += other.overRateBytesToClient;
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

    /** Datagrams client → peer dropped over the bandwidth limit. */
    public long overRatePacketsToPeer() {
        return overRatePacketsToPeer;
    }

    /** Payload bytes client → peer dropped over the bandwidth limit. */
    public long overRateBytesToPeer() {
        return overRateBytesToPeer;
    }

    /** Datagrams peer → client dropped over the bandwidth limit. */
    public long overRatePacketsToClient() {
        return overRatePacketsToClient;
    }

    /** Payload bytes peer → client dropped over the bandwidth limit. */
    public long overRateBytesToClient() {
        return overRateBytesToClient;
    }
}
