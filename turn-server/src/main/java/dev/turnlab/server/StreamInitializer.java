package dev.turnlab.server;

import dev.turnlab.codec.netty.CodecCounters;
import dev.turnlab.codec.netty.StunStreamDecoder;
import dev.turnlab.server.allocation.Transport;
import dev.turnlab.server.handler.ConnectionCaps;
import dev.turnlab.server.handler.RequestProcessor;
import dev.turnlab.server.handler.StreamDeadlines;
import dev.turnlab.server.handler.StreamListenerHandler;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of every accepted TCP or TLS connection: the connection caps first, so that a refused
 * connection costs no handler; then TLS, the idle timer, the stream decoder, the deadlines of a connection
 * without an allocation, and the listener handler.
 */
final class StreamInitializer extends ChannelInitializer<Channel> {

    /**
     * The allocator of every TCP and TLS connection: read buffers, held partial frames, responses and
     * relayed frames. Netty's default adaptive allocator keeps the chunks it grew for as long as the process
     * lives (measured: 2,000 connections each holding a 64 KiB partial frame left 71-126 MiB of RSS behind
     * after they closed); the classic pooled one frees a chunk once nothing in it is used (8 MiB left). UDP
     * keeps the adaptive allocator its receive batches were sized for.
     */
    static final ByteBufAllocator ALLOCATOR = new PooledByteBufAllocator(PooledByteBufAllocator.defaultPreferDirect());

    private final Transport kind;
    private final Supplier<SslContext> ssl;
    private final LimitsConfig limits;
    private final RequestProcessor processor;
    private final CodecCounters codecCounters;
    private final ConnectionCaps caps;
    private final Set<Channel> connections;
    private final ServerCapture capture;

    /**
     * Pipelines for connections over {@code kind}, with TLS when {@code ssl} is not null: each connection gets
     * the context it supplies when it is accepted, so a reloaded certificate applies to the connections after it.
     */
    StreamInitializer(Transport kind, Supplier<SslContext> ssl, LimitsConfig limits, RequestProcessor processor,
            CodecCounters codecCounters, ConnectionCaps caps, Set<Channel> connections, ServerCapture capture) {
        this.kind = kind;
        this.ssl = ssl;
        this.limits = limits;
        this.processor = processor;
        this.codecCounters = codecCounters;
        this.caps = caps;
        this.connections = connections;
        this.capture = capture;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (!caps.admit(ch)) {
            return;
        }
        // Shutting the event loops down does not close accepted sockets: the server closes these itself.
        connections.add(ch);
        ch.closeFuture().addListener(f -> connections.remove(ch));
        if (ssl != null) {
            ch.pipeline().addLast(ssl.get().newHandler(ch.alloc()));
        }
        capture.stream(ch.pipeline());
        ConnectionLimits connectionLimits = limits.connections();
        StunStreamDecoder decoder = new StunStreamDecoder(codecCounters);
        // Idle means nothing read: the server writes to a connection without an allocation only to answer
        // it. Watching writes too would make every relayed frame's void promise a real one with a
        // listener, in the hot path of every stream.
        ch.pipeline().addLast(new IdleStateHandler(limits.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS),
                decoder, new StreamDeadlines(processor.context().allocations(), processor.context().counters(),
                        processor.context().log(), kind, decoder, connectionLimits.firstRequestTimeout(), connectionLimits.partialFrameTimeout(),
                        connectionLimits.allocateTimeout()),
                new StreamListenerHandler(processor, kind));
    }
}
