package dev.turnlab.client;

import java.io.IOException;
import java.util.Objects;

/**
 * A request that got no STUN answer at all, and why. A server that answers with an error is not a
 * failure of this kind: that answer is a {@link TurnResult} carrying the ERROR-CODE.
 */
public final class NoAnswerException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why no answer came. */
    public enum Reason {
        /** Nothing came back before the retransmission schedule ran out (RFC 8489 §6.2.1): filtered or down. */
        TIMEOUT,
        /** ICMP port unreachable (UDP) or a refused connection (TCP/TLS): nothing listens on the port. */
        PORT_CLOSED,
        /** The TLS handshake failed, for example on an untrusted certificate. */
        TLS_FAILED,
        /** The connection closed, or the client was closed, before the answer came. */
        CLOSED,
        /** The address could not be resolved, or the network refused to send. */
        NETWORK
    }

    private final Reason reason;

    /** A failure for {@code reason} with a message that says what happened. */
    public NoAnswerException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** A failure for {@code reason} with a message that says what happened. */
    public NoAnswerException(Reason reason, String message) {
        this(reason, message, null);
    }

    /** Why no answer came. */
    public Reason reason() {
        return reason;
    }

    /** The {@link NoAnswerException} behind a failed future's exception, or a {@code NETWORK} one wrapping it. */
    public static NoAnswerException of(Throwable failure) {
        Throwable t = failure;
        while (t != null) {
            if (t instanceof NoAnswerException e) {
                return e;
            }
            t = t.getCause();
        }
        return new NoAnswerException(Reason.NETWORK, String.valueOf(failure), failure);
    }
}
