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

    /** An error with a reason and no readable header. */
    public StunCodecException(String reason) {
        this(reason, null, null, null);
    }

    /** An error in a message whose header was read. */
    public StunCodecException(String reason, Method method, StunClass stunClass, TransactionId transactionId) {
        super(reason);
        this.method = method;
        this.stunClass = stunClass;
        this.transactionId = transactionId;
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

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
