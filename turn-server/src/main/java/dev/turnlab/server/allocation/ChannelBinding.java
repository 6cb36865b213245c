package dev.turnlab.server.allocation;

import java.net.InetSocketAddress;

/** A channel number bound to a peer transport address (RFC 8656 §12), with its expiry in epoch milliseconds. */
public final class ChannelBinding {

    private final int number;
    private final InetSocketAddress peer;
    private final Relay relay;
    private long expiresAt;

    ChannelBinding(int number, InetSocketAddress peer, Relay relay, long expiresAt) {
        this.number = number;
        this.peer = peer;
        this.relay = relay;
        this.expiresAt = expiresAt;
    }

    /** The channel number, 0x4000-0x4FFF (RFC 8656 §12), or up to 0x7FFF for RFC 5766 clients. */
    public int number() {
        return number;
    }

    /** The peer's transport address. */
    public InetSocketAddress peer() {
        return peer;
    }

    /** The relay of the peer's family, resolved once at bind time for the ChannelData path. */
    public Relay relay() {
        return relay;
    }

    /** When the binding expires, in epoch milliseconds. */
    public long expiresAt() {
        return expiresAt;
    }

    void refresh(long newExpiry) {
        this.expiresAt = newExpiry;
    }

    @Override
    public String toString() {
        return String.format("0x%04X->%s", number, FiveTuple.format(peer));
    }
}
