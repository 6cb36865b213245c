package dev.turnlab.codec;

/**
 * A STUN method (RFC 8489 §18.2, RFC 8656 §17, RFC 6062 §6.1): an extensible enum whose
 * {@link #valueOf(int)} keeps codes it does not know, so they survive a decode/encode round trip.
 */
public final class Method {

    /** Binding (RFC 8489). */
    public static final Method BINDING = new Method(0x001, "Binding");
    /** Allocate (RFC 8656 §7). */
    public static final Method ALLOCATE = new Method(0x003, "Allocate");
    /** Refresh (RFC 8656 §8). */
    public static final Method REFRESH = new Method(0x004, "Refresh");
    /** Send, an indication only (RFC 8656 §11). */
    public static final Method SEND = new Method(0x006, "Send");
    /** Data, an indication only (RFC 8656 §11). */
    public static final Method DATA = new Method(0x007, "Data");
    /** CreatePermission (RFC 8656 §10). */
    public static final Method CREATE_PERMISSION = new Method(0x008, "CreatePermission");
    /** ChannelBind (RFC 8656 §12). */
    public static final Method CHANNEL_BIND = new Method(0x009, "ChannelBind");
    /** Connect (RFC 6062 §4.3). */
    public static final Method CONNECT = new Method(0x00A, "Connect");
    /** ConnectionBind (RFC 6062 §4.4). */
    public static final Method CONNECTION_BIND = new Method(0x00B, "ConnectionBind");
    /** ConnectionAttempt, an indication (RFC 6062 §4.5). */
    public static final Method CONNECTION_ATTEMPT = new Method(0x00C, "ConnectionAttempt");

    // Indexed by code, so that decoding a message looks its method up without a scan.
    private static final Method[] BY_CODE = new Method[0x00D];

    static {
        for (Method m : new Method[] {BINDING, ALLOCATE, REFRESH, SEND, DATA, CREATE_PERMISSION, CHANNEL_BIND,
                CONNECT, CONNECTION_BIND, CONNECTION_ATTEMPT}) {
            BY_CODE[m.code] = m;
        }
    }

    private final int code;
    private final String name;

    private Method(int code, String name) {
        this.code = code;
        this.name = name;
    }

    /** The method for a 12-bit code; unknown codes give a new, unnamed method that encodes unchanged. */
    public static Method valueOf(int code) {
        if (code < 0 || code > 0xFFF) {
            throw new IllegalArgumentException("method: " + code + " (expected: 0-0xFFF)");
        }
        Method known = code < BY_CODE.length ? BY_CODE[code] : null;
        // The name of an unknown method is formatted only if asked for: a flood of them stays cheap.
        return known != null ? known : new Method(code, null);
    }

    /** The 12-bit method code. */
    public int code() {
        return code;
    }

    /** The method's name as the RFCs write it, for example {@code CreatePermission}, or {@code Method(0x0FF)}. */
    public String name() {
        return name != null ? name : String.format("Method(0x%03X)", code);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Method other && other.code == code;
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public String toString() {
        return name();
    }
}
