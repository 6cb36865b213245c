package dev.turnlab.codec;

/**
 * The 14-bit STUN message type: a 12-bit method interleaved with the two class bits
 * (RFC 8489 §5, figure 3: M11..M7, C1, M6..M4, C0, M3..M0).
 */
public final class MessageType {

    private MessageType() {
    }

    /** The 16-bit type field for a method and class. */
    public static int encode(Method method, StunClass stunClass) {
        int m = method.code();
        int c = stunClass.bits();
        return (m & 0x000F) | ((c & 0b01) << 4) | ((m & 0x0070) << 1) | ((c & 0b10) << 7) | ((m & 0x0F80) << 2);
    }

    /** The method code held in a 16-bit type field. */
    public static int methodCode(int type) {
        return (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
    }

    /** The class held in a 16-bit type field. */
    public static StunClass stunClass(int type) {
        return StunClass.ofBits(((type >> 4) & 0b01) | ((type >> 7) & 0b10));
    }
}
