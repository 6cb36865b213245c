package dev.turnlab.server.handler;

import java.util.concurrent.atomic.LongAdder;

/** Server-wide counters of bad input and rejections, for tests and operators. */
public final class ServerCounters {

    private final LongAdder malformed = new LongAdder();
    private final LongAdder unknownPackets = new LongAdder();
    private final LongAdder droppedChannelData = new LongAdder();
    private final LongAdder droppedIndications = new LongAdder();
    private final LongAdder authRejections = new LongAdder();
    private final LongAdder selfRelayRefused = new LongAdder();
    private final LongAdder droppedToClient = new LongAdder();

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

    /** Counts a request refused by the credential checks (not the first 401 challenge). */
    public void authRejection() {
        authRejections.increment();
    }

    /** Counts a Send indication dropped because its peer is one of the server's own sockets. */
    public void selfRelayRefused() {
        selfRelayRefused.increment();
    }

    /** Send indications to the server's own sockets dropped so far. */
    public long selfRelayRefusedCount() {
        return selfRelayRefused.sum();
    }

    /** Counts relayed data dropped because the client's TCP/TLS connection was not writable. */
    public void droppedToClient() {
        droppedToClient.increment();
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
}
