package dev.turnlab.server.relay.tcp;

import dev.turnlab.server.ServerCounters;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.io.IOException;

/**
 * What the two halves of a spliced TCP relay do alike: pass bytes on with backpressure instead of queues,
 * and close together.
 */
final class Splices {

    private Splices() {
    }

    /**
     * Writes {@code msg}, read from {@code from}, to {@code to}, unflushed: the reader flushes once at the end of
     * its read loop (one system call for up to a loop's worth of reads). When {@code to} cannot take more,
     * {@code from} stops reading until {@code to} drains ({@link #resume}), so nothing queues without bound.
     * Takes ownership of {@code msg}.
     */
    static void pass(Channel from, Channel to, Object msg) {
        to.write(msg, to.voidPromise());
        if (!to.isWritable()) {
            from.config().setAutoRead(false);
            // It may have drained between the check and the switch, with no event left to resume it.
            if (to.isWritable()) {
                from.config().setAutoRead(true);
            }
        }
    }

    /** {@code drained} became writable again: {@code reader}, which writes to it, reads again. */
    static void resume(Channel drained, Channel reader) {
        if (drained.isWritable()) {
            reader.config().setAutoRead(true);
        }
    }

    /** Closes {@code channel} once what was written to it has been flushed. */
    static void closeAfterFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /**
     * {@code ctx}'s connection failed: a reset or broken pipe (the network's doing) is counted and logged at debug,
     * anything else is a bug and logged at warn; either way the connection closes, and with it the other half.
     */
    static void failed(ChannelHandlerContext ctx, Throwable cause, ServerCounters counters, String what) {
        if (cause instanceof IOException) {
            counters.tcpConnectionReset();
            TcpRelays.LOG.debug("{} failed: {}", what, cause.toString());
        } else {
            TcpRelays.LOG.warn("{} closed on an unexpected error", what, cause);
        }
        ctx.close();
    }
}
