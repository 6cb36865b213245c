package dev.turnlab.codec.attribute;

/**
 * A STUN attribute type (RFC 8489 §18.3 and the registries of RFC 8656, 6062, 5780, 8445 and 3489):
 * an extensible enum. {@link #valueOf(int)} returns the registered constant or a new unnamed type,
 * so unknown attributes keep their code. Types below 0x8000 are comprehension-required.
 */
public final class AttributeType {
    /** MAPPED-ADDRESS (RFC 8489 §14.1). */
    public static final AttributeType MAPPED_ADDRESS = new AttributeType(0x0001, "MAPPED-ADDRESS");
    /** RESPONSE-ADDRESS (RFC 3489 §11.2.2). */
    public static final AttributeType RESPONSE_ADDRESS = new AttributeType(0x0002, "RESPONSE-ADDRESS");
    /** CHANGE-REQUEST (RFC 5780 §7.2). */
    public static final AttributeType CHANGE_REQUEST = new AttributeType(0x0003, "CHANGE-REQUEST");
    /** SOURCE-ADDRESS (RFC 3489 §11.2.5). */
    public static final AttributeType SOURCE_ADDRESS = new AttributeType(0x0004, "SOURCE-ADDRESS");
    /** CHANGED-ADDRESS (RFC 3489 §11.2.3). */
    public static final AttributeType CHANGED_ADDRESS = new AttributeType(0x0005, "CHANGED-ADDRESS");
    /** USERNAME (RFC 8489 §14.3). */
    public static final AttributeType USERNAME = new AttributeType(0x0006, "USERNAME");
    /** PASSWORD (RFC 3489 §11.2.7). */
    public static final AttributeType PASSWORD = new AttributeType(0x0007, "PASSWORD");
    /** MESSAGE-INTEGRITY (RFC 8489 §14.5). */
    public static final AttributeType MESSAGE_INTEGRITY = new AttributeType(0x0008, "MESSAGE-INTEGRITY");
    /** ERROR-CODE (RFC 8489 §14.8). */
    public static final AttributeType ERROR_CODE = new AttributeType(0x0009, "ERROR-CODE");
    /** UNKNOWN-ATTRIBUTES (RFC 8489 §14.13). */
    public static final AttributeType UNKNOWN_ATTRIBUTES = new AttributeType(0x000A, "UNKNOWN-ATTRIBUTES");
    /** REFLECTED-FROM (RFC 3489 §11.2.11). */
    public static final AttributeType REFLECTED_FROM = new AttributeType(0x000B, "REFLECTED-FROM");
    /** CHANNEL-NUMBER (RFC 8656 §18.1). */
    public static final AttributeType CHANNEL_NUMBER = new AttributeType(0x000C, "CHANNEL-NUMBER");
    /** LIFETIME (RFC 8656 §18.2). */
    public static final AttributeType LIFETIME = new AttributeType(0x000D, "LIFETIME");
    /** XOR-PEER-ADDRESS (RFC 8656 §18.3). */
    public static final AttributeType XOR_PEER_ADDRESS = new AttributeType(0x0012, "XOR-PEER-ADDRESS");
    /** DATA (RFC 8656 §18.4). */
    public static final AttributeType DATA = new AttributeType(0x0013, "DATA");
    /** REALM (RFC 8489 §14.9). */
    public static final AttributeType REALM = new AttributeType(0x0014, "REALM");
    /** NONCE (RFC 8489 §14.10). */
    public static final AttributeType NONCE = new AttributeType(0x0015, "NONCE");
    /** XOR-RELAYED-ADDRESS (RFC 8656 §18.5). */
    public static final AttributeType XOR_RELAYED_ADDRESS = new AttributeType(0x0016, "XOR-RELAYED-ADDRESS");
    /** REQUESTED-ADDRESS-FAMILY (RFC 8656 §18.6). */
    public static final AttributeType REQUESTED_ADDRESS_FAMILY = new AttributeType(0x0017, "REQUESTED-ADDRESS-FAMILY");
    /** EVEN-PORT (RFC 8656 §18.7). */
    public static final AttributeType EVEN_PORT = new AttributeType(0x0018, "EVEN-PORT");
    /** REQUESTED-TRANSPORT (RFC 8656 §18.8). */
    public static final AttributeType REQUESTED_TRANSPORT = new AttributeType(0x0019, "REQUESTED-TRANSPORT");
    /** DONT-FRAGMENT (RFC 8656 §18.9). */
    public static final AttributeType DONT_FRAGMENT = new AttributeType(0x001A, "DONT-FRAGMENT");
    /** MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6). */
    public static final AttributeType MESSAGE_INTEGRITY_SHA256 = new AttributeType(0x001C, "MESSAGE-INTEGRITY-SHA256");
    /** PASSWORD-ALGORITHM (RFC 8489 §14.12). */
    public static final AttributeType PASSWORD_ALGORITHM = new AttributeType(0x001D, "PASSWORD-ALGORITHM");
    /** USERHASH (RFC 8489 §14.4). */
    public static final AttributeType USERHASH = new AttributeType(0x001E, "USERHASH");
    /** XOR-MAPPED-ADDRESS (RFC 8489 §14.2). */
    public static final AttributeType XOR_MAPPED_ADDRESS = new AttributeType(0x0020, "XOR-MAPPED-ADDRESS");
    /** RESERVATION-TOKEN (RFC 8656 §18.10). */
    public static final AttributeType RESERVATION_TOKEN = new AttributeType(0x0022, "RESERVATION-TOKEN");
    /** PRIORITY (RFC 8445 §16.1). */
    public static final AttributeType PRIORITY = new AttributeType(0x0024, "PRIORITY");
    /** USE-CANDIDATE (RFC 8445 §16.1). */
    public static final AttributeType USE_CANDIDATE = new AttributeType(0x0025, "USE-CANDIDATE");
    /** PADDING (RFC 5780 §7.6). */
    public static final AttributeType PADDING = new AttributeType(0x0026, "PADDING");
    /** RESPONSE-PORT (RFC 5780 §7.5). */
    public static final AttributeType RESPONSE_PORT = new AttributeType(0x0027, "RESPONSE-PORT");
    /** CONNECTION-ID (RFC 6062 §6.2.1). */
    public static final AttributeType CONNECTION_ID = new AttributeType(0x002A, "CONNECTION-ID");
    /** ADDITIONAL-ADDRESS-FAMILY (RFC 8656 §18.11). */
    public static final AttributeType ADDITIONAL_ADDRESS_FAMILY = new AttributeType(0x8000, "ADDITIONAL-ADDRESS-FAMILY");
    /** ADDRESS-ERROR-CODE (RFC 8656 §18.12). */
    public static final AttributeType ADDRESS_ERROR_CODE = new AttributeType(0x8001, "ADDRESS-ERROR-CODE");
    /** PASSWORD-ALGORITHMS (RFC 8489 §14.11). */
    public static final AttributeType PASSWORD_ALGORITHMS = new AttributeType(0x8002, "PASSWORD-ALGORITHMS");
    /** ALTERNATE-DOMAIN (RFC 8489 §14.16). */
    public static final AttributeType ALTERNATE_DOMAIN = new AttributeType(0x8003, "ALTERNATE-DOMAIN");
    /** ICMP (RFC 8656 §18.13). */
    public static final AttributeType ICMP = new AttributeType(0x8004, "ICMP");
    /** SOFTWARE (RFC 8489 §14.14). */
    public static final AttributeType SOFTWARE = new AttributeType(0x8022, "SOFTWARE");
    /** ALTERNATE-SERVER (RFC 8489 §14.15). */
    public static final AttributeType ALTERNATE_SERVER = new AttributeType(0x8023, "ALTERNATE-SERVER");
    /** FINGERPRINT (RFC 8489 §14.7). */
    public static final AttributeType FINGERPRINT = new AttributeType(0x8028, "FINGERPRINT");
    /** ICE-CONTROLLED (RFC 8445 §16.1). */
    public static final AttributeType ICE_CONTROLLED = new AttributeType(0x8029, "ICE-CONTROLLED");
    /** ICE-CONTROLLING (RFC 8445 §16.1). */
    public static final AttributeType ICE_CONTROLLING = new AttributeType(0x802A, "ICE-CONTROLLING");
    /** RESPONSE-ORIGIN (RFC 5780 §7.3). */
    public static final AttributeType RESPONSE_ORIGIN = new AttributeType(0x802B, "RESPONSE-ORIGIN");
    /** OTHER-ADDRESS (RFC 5780 §7.4). */
    public static final AttributeType OTHER_ADDRESS = new AttributeType(0x802C, "OTHER-ADDRESS");

    private static final AttributeType[] KNOWN = {
        MAPPED_ADDRESS, RESPONSE_ADDRESS, CHANGE_REQUEST, SOURCE_ADDRESS, CHANGED_ADDRESS, USERNAME,
        PASSWORD, MESSAGE_INTEGRITY, ERROR_CODE, UNKNOWN_ATTRIBUTES, REFLECTED_FROM, CHANNEL_NUMBER,
        LIFETIME, XOR_PEER_ADDRESS, DATA, REALM, NONCE, XOR_RELAYED_ADDRESS, REQUESTED_ADDRESS_FAMILY,
        EVEN_PORT, REQUESTED_TRANSPORT, DONT_FRAGMENT, MESSAGE_INTEGRITY_SHA256, PASSWORD_ALGORITHM,
        USERHASH, XOR_MAPPED_ADDRESS, RESERVATION_TOKEN, PRIORITY, USE_CANDIDATE, PADDING, RESPONSE_PORT,
        CONNECTION_ID, ADDITIONAL_ADDRESS_FAMILY, ADDRESS_ERROR_CODE, PASSWORD_ALGORITHMS, ALTERNATE_DOMAIN,
        ICMP, SOFTWARE, ALTERNATE_SERVER, FINGERPRINT, ICE_CONTROLLED, ICE_CONTROLLING, RESPONSE_ORIGIN,
        OTHER_ADDRESS,
    };

    private final int code;
    private final String name;

    private AttributeType(int code, String name) {
        this.code = code;
        this.name = name;
    }

    /** The type for a 16-bit code: the registered constant, or a new unnamed type for an unknown code. */
    public static AttributeType valueOf(int code) {
        if (code < 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("attribute type: " + code + " (expected: 0-0xFFFF)");
        }
        for (AttributeType t : KNOWN) {
            if (t.code == code) {
                return t;
            }
        }
        return new AttributeType(code, String.format("0x%04X", code));
    }

    /** Whether the code is one of the registered types above. */
    public static boolean isKnown(int code) {
        for (AttributeType t : KNOWN) {
            if (t.code == code) {
                return true;
            }
        }
        return false;
    }

    /** The 16-bit code. */
    public int code() {
        return code;
    }

    /** The name as the RFCs write it, for example {@code XOR-MAPPED-ADDRESS}. */
    public String name() {
        return name;
    }

    /**
     * Whether an agent that does not understand this attribute must reject the message
     * (codes 0x0000-0x7FFF, RFC 8489 §14).
     */
    public boolean isComprehensionRequired() {
        return code < 0x8000;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttributeType other && other.code == code;
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public String toString() {
        return name;
    }
}
