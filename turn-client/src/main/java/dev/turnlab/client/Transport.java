package dev.turnlab.client;

/** The transport between a TURN client and its server (RFC 8656 §3.1); the relay itself is always UDP. */
public enum Transport {
    /** UDP, with retransmissions (RFC 8489 §6.2.1); default port 3478. */
    UDP(3478),
    /** TCP, one transmission per request (RFC 8489 §6.2.2); default port 3478. */
    TCP(3478),
    /** TLS over TCP (RFC 8489 §6.2.3); default port 5349. */
    TLS(5349),
    /** DTLS over UDP (RFC 7350), with retransmissions as over UDP since DTLS is unreliable; default port 5349. */
    DTLS(5349);

    private final int defaultPort;

    Transport(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** The port a server listens on for this transport unless told otherwise (RFC 8489 §18.1, RFC 8656 §21). */
    public int defaultPort() {
        return defaultPort;
    }

    /** Whether the transport delivers reliably, so requests are not retransmitted. */
    public boolean isReliable() {
        return this == TCP || this == TLS;
    }

    /** Parses {@code udp}, {@code tcp}, {@code tls} or {@code dtls}, case-insensitively. */
    public static Transport parse(String name) {
        for (Transport t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("transport: " + name + " (expected: udp, tcp, tls or dtls)");
    }
}
