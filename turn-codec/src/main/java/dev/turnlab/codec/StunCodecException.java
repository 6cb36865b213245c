package dev.turnlab.codec;

import io.netty.handler.codec.DecoderException;

/**
 * The one exception a decoder throws for bytes that are not a well-formed STUN message, TURN
 * ChannelData message or frame. It has no stack trace (it is raised for hostile input, not bugs)
 * and, when the 20-byte header could be read, it names the method, class and transaction id, so a
 * server can still answer {@code 400 Bad Request}.
 */
public final class StunCodecException extends DecoderException {

    private static final long serialVersionUID = 1L;

    private final transient Method method;
    private final StunClass stunClass;
    private final transient TransactionId transactionId;
    private final boolean answerable;

    /** An error with a reason and no readable header. */
    public StunCodecException(String reason) {
        this(reason, null, null, null);
    }

    /** An error in a message whose header was read, for which a request deserves a 400 answer. */
    public StunCodecException(String reason, Method method, StunClass stunClass, TransactionId transactionId) {
        this(reason, method, stunClass, transactionId, true);
    }

    /**
     * An error in a message whose header was read; {@code answerable} is {@code false} for the
     * errors that RFC 8489 §7.3 says to discard silently: a length that is not sensible, a wrong
     * FINGERPRINT.
     */
    public StunCodecException(String reason, Method method, StunClass stunClass, TransactionId transactionId,
            boolean answerable) {
        super(reason);
        this.method = method;
        this.stunClass = stunClass;
        this.transactionId = transactionId;
        this.answerable = answerable && transactionId != null;
    }

    /** The method of the malformed message, or {@code null} when its header could not be read. */
    public Method method() {
        return method;
    }

    /** The class of the malformed message, or {@code null} when its header could not be read. */
    public StunClass stunClass() {
        return stunClass;
    }

    /** The transaction id of the malformed message, or {@code null} when its header could not be read. */
    public TransactionId transactionId() {
        return transactionId;
    }

    /** Whether the header was read, so that an error response could be addressed to the transaction. */
    public boolean hasHeader() {
        return transactionId != null;
    }

    /**
     * Whether a request that fails with this error is answered with 400 Bad Request (RFC 8489
     * §6.3.1.1): the header was read and the error is not one that RFC 8489 §7.3 says to discard
     * silently (a length that is not sensible, a wrong FINGERPRINT: with multiplexing, perhaps
     * another protocol).
     */
    public boolean isAnswerable() {
        return answerable;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
