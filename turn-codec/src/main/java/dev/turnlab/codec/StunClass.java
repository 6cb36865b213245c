package dev.turnlab.codec;

/** The four STUN message classes (RFC 8489 §5), encoded in bits C1 and C0 of the message type. */
public enum StunClass {
    /** A request, answered by a success or an error response. */
    REQUEST(0b00),
    /** An indication: no response is sent. */
    INDICATION(0b01),
    /** A success response. */
    SUCCESS_RESPONSE(0b10),
    /** An error response, carrying ERROR-CODE. */
    ERROR_RESPONSE(0b11);

    private static final StunClass[] BY_BITS = {REQUEST, INDICATION, SUCCESS_RESPONSE, ERROR_RESPONSE};

    private final int bits;

    StunClass(int bits) {
        this.bits = bits;
    }

    /** The two class bits, C1 in bit 1 and C0 in bit 0. */
    public int bits() {
        return bits;
    }

    /** Whether this class is one of the two responses. */
    public boolean isResponse() {
        return this == SUCCESS_RESPONSE || this == ERROR_RESPONSE;
    }

    /** The class with the given two bits (0 to 3). */
    public static StunClass ofBits(int bits) {
        return BY_BITS[bits & 0b11];
    }
}
