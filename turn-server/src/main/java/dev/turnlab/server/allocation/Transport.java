package dev.turnlab.server.allocation;

/** The transport between client and server, one element of the 5-tuple (RFC 8656 §2). */
public enum Transport {
    /** STUN/TURN over UDP. */
    UDP,
    /** STUN/TURN over TCP (RFC 8656 §3.1). */
    TCP,
    /** STUN/TURN over TLS-over-TCP (RFC 8656 §3.1). */
    TLS,
    /** STUN/TURN over DTLS-over-UDP (RFC 7350, RFC 8656 §3.1): datagrams, each one record. */
    DTLS;

    /** Whether messages travel on a byte stream, where ChannelData is padded to 4 bytes (RFC 8656 §12.5). */
    public boolean isStream() {
        return this == TCP || this == TLS;
    }
}
