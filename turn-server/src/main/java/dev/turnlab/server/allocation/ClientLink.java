package dev.turnlab.server.allocation;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/** The way back to a client: its listener socket (UDP) or its connection (TCP, TLS). */
public interface ClientLink {

    /** The client's 5-tuple (RFC 8656 §2). */
    FiveTuple fiveTuple();

    /** The event loop that owns every allocation reached through this link. */
    EventLoop eventLoop();

    /** The allocator for frames written to this link. */
    ByteBufAllocator alloc();

    /** Writes one whole STUN message or ChannelData frame to the client; takes ownership of {@code frame}. */
    void write(ByteBuf frame);

    /**
     * Writes one relayed frame (peer data) to the client; takes ownership of {@code frame}. Unlike a
     * response, relayed data may be dropped: a stream whose client stops reading drops it rather than
     * queue it without bound. Returns whether the frame was written.
     */
    default boolean relay(ByteBuf frame) {
        write(frame);
        return true;
    }

    /** Whether the link can still carry messages (a TCP connection closes; a UDP listener stays). */
    boolean isActive();

    /**
     * Closes the client's connection (TCP, TLS) after an allocation it held was ended by the server; a UDP
     * link is the listener's socket, shared by every client, and stays open.
     */
    default void close() {
    }
}
