package dev.turnlab.codec.netty;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the decoders saw: messages decoded, packets passed on, malformed input. Thread-safe and
 * cheap to update from many event loops, so one instance can serve every channel of a server.
 */
public final class CodecCounters {

    private final LongAdder decodedStun = new LongAdder();
    private final LongAdder decodedChannelData = new LongAdder();
    private final LongAdder passedOn = new LongAdder();
    private final LongAdder malformedStun = new LongAdder();
    private final LongAdder droppedMalformed = new LongAdder();

    /** STUN messages decoded (RFC 8489 §5). */
    public long decodedStun() {
        return decodedStun.sum();
    }

    /** ChannelData messages decoded (RFC 8656 §12.4). */
    public long decodedChannelData() {
        return decodedChannelData.sum();
    }

    /** Datagrams that are neither STUN nor ChannelData (DTLS, RTP, RTCP, ZRTP: RFC 7983), passed on unchanged. */
    public long passedOn() {
        return passedOn.sum();
    }

    /** Malformed STUN messages whose header was readable, passed on as {@link MalformedStunMessage}. */
    public long malformedStun() {
        return malformedStun.sum();
    }

    /**
     * Malformed input dropped: datagrams without a readable STUN header or with broken ChannelData,
     * broken streams, and messages discarded silently (RFC 8489 §7.3, RFC 8656 §12.6).
     */
    public long droppedMalformed() {
        return droppedMalformed.sum();
    }

    void onDecodedStun() {
        decodedStun.increment();
    }

    void onDecodedChannelData() {
        decodedChannelData.increment();
    }

    void onPassedOn() {
        passedOn.increment();
    }

    void onMalformedStun() {
        malformedStun.increment();
    }

    void onDroppedMalformed() {
        droppedMalformed.increment();
    }

    @Override
    public String toString() {
        return "CodecCounters(stun=" + decodedStun() + ", channelData=" + decodedChannelData() + ", passedOn=" + passedOn()
                + ", malformedStun=" + malformedStun() + ", droppedMalformed=" + droppedMalformed() + ")";
    }
}
