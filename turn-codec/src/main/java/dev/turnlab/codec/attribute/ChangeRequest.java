package dev.turnlab.codec.attribute;

/**
 * CHANGE-REQUEST (RFC 5780 §7.2, RFC 3489 §11.2.4): asks the server to answer from its other IP
 * address (flag A, 0x04) and/or its other port (flag B, 0x02).
 */
public record ChangeRequest(boolean changeIp, boolean changePort) implements StunAttribute {

    /** The "change IP" flag A in the value's last byte. */
    public static final int CHANGE_IP = 0x04;
    /** The "change port" flag B in the value's last byte. */
    public static final int CHANGE_PORT = 0x02;

    /** The flags as they appear in the 32-bit value. */
    public int flags() {
        return (changeIp ? CHANGE_IP : 0) | (changePort ? CHANGE_PORT : 0);
    }

    @Override
    public AttributeType type() {
        return AttributeType.CHANGE_REQUEST;
    }
}
