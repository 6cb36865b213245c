package dev.turnlab.codec.attribute;

/** An address family code as carried by REQUESTED-ADDRESS-FAMILY and its kin (RFC 8656 §18.6, §18.11, §18.12). */
public enum AddressFamily {
    /** IPv4, family 0x01. */
    IPV4(0x01),
    /** IPv6, family 0x02. */
    IPV6(0x02);

    private final int code;

    AddressFamily(int code) {
        this.code = code;
    }

    /** The one-byte family code. */
    public int code() {
        return code;
    }

    /** The family with this code; anything but 0x01 and 0x02 is refused with the attribute's name in the reason. */
    static AddressFamily valueOf(int code, String attribute) {
        return switch (code) {
            case 0x01 -> IPV4;
            case 0x02 -> IPV6;
            default -> throw new IllegalArgumentException(
                    String.format("%s: family 0x%02X (expected: 0x01 IPv4 or 0x02 IPv6)", attribute, code));
        };
    }

    /** The family with this code, 0x01 or 0x02. */
    public static AddressFamily valueOf(int code) {
        return valueOf(code, "address family");
    }
}
