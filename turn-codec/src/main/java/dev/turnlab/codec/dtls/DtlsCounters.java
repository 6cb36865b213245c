package dev.turnlab.codec.dtls;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the DTLS handlers of one server or client saw: handshakes finished, failed and timed out, refusals,
 * datagrams that were not DTLS, and closures. Thread-safe, so one instance serves every listener.
 */
public final class DtlsCounters {

    private final LongAdder handshakes = new LongAdder();
    private final LongAdder handshakeTimeouts = new LongAdder();
    private final LongAdder handshakeFailures = new LongAdder();
    private final LongAdder refusedHandshakes = new LongAdder();
    private final LongAdder refusedVersions = new LongAdder();
    private final LongAdder droppedDatagrams = new LongAdder();
    private final LongAdder droppedWrites = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder idleExpired = new LongAdder();
    private final LongAdder sessions = new LongAdder();

    /** Handshakes finished. */
    public long handshakes() {
        return handshakes.sum();
    }

    /** Handshakes that did not finish in time; their associations were dropped. */
    public long handshakeTimeouts() {
        return handshakeTimeouts.sum();
    }

    /** Handshakes or associations ended by an error: a fatal alert received or sent, a certificate not trusted. */
    public long handshakeFailures() {
        return handshakeFailures.sum();
    }

    /** ClientHellos dropped because too many handshakes were under way, in all or from the sender's address. */
    public long refusedHandshakes() {
        return refusedHandshakes.sum();
    }

    /**
     * ClientHellos for DTLS 1.0 only, answered with a protocol_version alert (RFC 8996); coturn's
     * {@code turnutils_uclient -S} sends one for about a third of its connections and then tries again.
     */
    public long refusedVersions() {
        return refusedVersions.sum();
    }

    /** Received datagrams dropped: not DTLS, not a ClientHello from an unknown address, or truncated records. */
    public long droppedDatagrams() {
        return droppedDatagrams.sum();
    }

    /** Datagrams to send dropped: no established association with the recipient, or too large for one record. */
    public long droppedWrites() {
        return droppedWrites.sum();
    }

    /** Associations the remote end closed with close_notify (RFC 5246 §7.2.1). */
    public long closed() {
        return closed.sum();
    }

    /** Established associations dropped after receiving nothing for the idle timeout. */
    public long idleExpired() {
        return idleExpired.sum();
    }

    /** Associations held now, handshaking or established. */
    public long sessions() {
        return sessions.sum();
    }

    void onHandshake() {
        handshakes.increment();
    }

    void onHandshakeTimeout() {
        handshakeTimeouts.increment();
    }

    void onHandshakeFailure() {
        handshakeFailures.increment();
    }

    void onRefused() {
        refusedHandshakes.increment();
    }

    void onRefusedVersion() {
        refusedVersions.increment();
    }

    void onDroppedDatagram() {
        droppedDatagrams.increment();
    }

    void onDroppedWrite() {
        droppedWrites.increment();
    }

    void onClosed() {
        closed.increment();
    }

    void onIdleExpired() {
        idleExpired.increment();
    }

    void onSession(int delta) {
        sessions.add(delta);
    }

    @Override
    public String toString() {
        return "DtlsCounters(handshakes=" + handshakes() + ", timeouts=" + handshakeTimeouts() + ", failures="
                + handshakeFailures() + ", refused=" + refusedHandshakes() + ", refusedVersions=" + refusedVersions() + ", droppedDatagrams=" + droppedDatagrams()
                + ", droppedWrites=" + droppedWrites() + ", closed=" + closed() + ", idleExpired=" + idleExpired()
                + ", sessions=" + sessions() + ")";
    }
}
