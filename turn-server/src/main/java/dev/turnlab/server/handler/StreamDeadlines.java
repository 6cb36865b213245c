package dev.turnlab.server.handler;

import dev.turnlab.server.ServerCounters;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.netty.StunStreamDecoder;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.AllocationTable;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.allocation.Transport;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines of a TCP or TLS connection that holds no allocation, after its {@link StunStreamDecoder}:
 * its first STUN request must arrive within the first-request timeout of the connection's start, and a
 * frame it has begun must complete within the partial-frame timeout, and it must hold an allocation within
 * the allocate timeout. Bytes that trickle in extend none of them, unlike the idle timer. When the connection's first allocation exists the handler leaves the
 * pipeline, so a relaying connection pays nothing for it; the idle rule stays.
 */
public final class StreamDeadlines extends ChannelInboundHandlerAdapter {

    private final AllocationTable allocations;
    private final ServerCounters counters;
    private final AllocationLog log;
    private final Transport transport;
    private final StunStreamDecoder decoder;
    private final long firstRequestNanos;
    private final long partialFrameNanos;
    private final long allocateNanos;

    private FiveTuple fiveTuple;
    private long startedAt;
    private boolean requested;
    /** Whether a frame completed since the last read completed. */
    private boolean framed;
    /** When the frame the decoder holds began, or -1 between frames. */
    private long partialSince = -1;
    private ScheduledFuture<?> timer;
    private long timerAt;

    /**
     * Deadlines for one connection over {@code transport}, whose frames {@code decoder} holds, until it has
     * an allocation in {@code allocations}; closures are counted and logged.
     */
    public StreamDeadlines(AllocationTable allocations, ServerCounters counters, AllocationLog log, Transport transport,
            StunStreamDecoder decoder, Duration firstRequestTimeout, Duration partialFrameTimeout,
            Duration allocateTimeout) {
        this.allocations = allocations;
        this.counters = counters;
        this.log = log;
        this.transport = transport;
        this.decoder = decoder;
        this.firstRequestNanos = firstRequestTimeout.toNanos();
        this.partialFrameNanos = partialFrameTimeout.toNanos();
        this.allocateNanos = allocateTimeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        startedAt = now(ctx);
        schedule(ctx, startedAt + firstRequestNanos);
        schedule(ctx, startedAt + allocateNanos);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        fiveTuple = new FiveTuple(transport, (InetSocketAddress) ctx.channel().remoteAddress(),
                (InetSocketAddress) ctx.channel().localAddress());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof StunMessage m && m.stunClass() == StunClass.REQUEST) {
            requested = true;
        }
        framed = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (requested && hasAllocation()) {
            done(ctx);
        } else if (decoder.bufferedBytes() == 0) {
            partialSince = -1;
        } else if (partialSince < 0 || framed) {
            // A frame began in this read: its own deadline starts now.
            partialSince = now(ctx);
            schedule(ctx, partialSince + partialFrameNanos);
        }
        framed = false;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void check(ChannelHandlerContext ctx) {
        timer = null;
        if (!ctx.channel().isActive() || ctx.isRemoved()) {
            return;
        }
        if (requested && hasAllocation()) {
            done(ctx);
            return;
        }
        long now = now(ctx);
        if (!requested && now - startedAt >= firstRequestNanos) {
            close(ctx, ConnectionTimeout.FIRST_REQUEST);
        } else if (partialSince >= 0 && now - partialSince >= partialFrameNanos) {
            close(ctx, ConnectionTimeout.PARTIAL_FRAME);
        } else if (now - startedAt >= allocateNanos) {
            close(ctx, ConnectionTimeout.ALLOCATE);
        } else {
            // Whichever deadline is still ahead and comes first.
            schedule(ctx, startedAt + allocateNanos);
            if (!requested) {
                schedule(ctx, startedAt + firstRequestNanos);
            }
            if (partialSince >= 0) {
                schedule(ctx, partialSince + partialFrameNanos);
            }
        }
    }

    private boolean hasAllocation() {
        Allocation a = fiveTuple == null ? null : allocations.find(fiveTuple);
        return a != null && !a.isDeleted();
    }

    private void close(ChannelHandlerContext ctx, ConnectionTimeout why) {
        counters.connectionTimedOut(why);
        log.connectionTimedOut(fiveTuple, why, decoder.bufferedBytes());
        ctx.close();
    }

    /** Runs {@link #check} at {@code at} (ticker nanos) unless a check comes sooner. */
    private void schedule(ChannelHandlerContext ctx, long at) {
        if (timer != null) {
            if (timerAt <= at) {
                return;
            }
            timer.cancel(false);
        }
        timerAt = at;
        timer = ctx.executor().schedule(() -> check(ctx), Math.max(0, at - now(ctx)), TimeUnit.NANOSECONDS);
    }

    private void done(ChannelHandlerContext ctx) {
        cancel();
        ctx.pipeline().remove(this);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private static long now(ChannelHandlerContext ctx) {
        return ctx.executor().ticker().nanoTime();
    }
}
