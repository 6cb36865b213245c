package dev.turnlab.benchmarks.load;

/**
 * How a session's setup ended: ready, or failed with a STUN error code ("401", "438", ...) or one of
 * this generator's own reasons.
 *
 * @param failure the error code or reason, {@code null} when the session is ready
 */
record SetupOutcome(String failure) {

    /** No answer within the transaction timeout. */
    static final String TIMEOUT = "timeout";
    /** An error response without a readable ERROR-CODE. */
    static final String MALFORMED = "malformed";
    /** The connection could not be opened or was closed. */
    static final String CLOSED = "closed";
    /** An ICMP port unreachable came back: nothing listens at --server. */
    static final String UNREACHABLE = "unreachable";
    /** The setup did not finish within --setup-timeout. */
    static final String SETUP_TIMEOUT = "setup-timeout";

    private static final SetupOutcome OK = new SetupOutcome(null);

    /** A ready session. */
    static SetupOutcome ok() {
        return OK;
    }

    /** A failed session. */
    static SetupOutcome failed(String failure) {
        return new SetupOutcome(failure);
    }

    /** Whether the session is ready to send. */
    boolean isOk() {
        return failure == null;
    }
}
