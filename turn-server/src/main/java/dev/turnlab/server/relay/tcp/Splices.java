package dev.turnlab.server.relay.tcp;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.io.IOException;

/**
 * What the two halves of a spliced TCP relay do alike: pass bytes on with backpressure instead of queues,
 * and close together.
 */
final class Splices {

    private Splices() {
    }

    /**
     * Writes {@code msg}, read from {@code from}, to {@code to}; when {@code to} cannot take more, {@code from}
     * stops reading until {@code to} drains ({@link #resume}), so nothing queues without bound. Takes
     * ownership of {@code msg}.
     */
    static void pass(Channel from, Channel to, Object msg) {
        to.writeAndFlush(msg, to.voidPromise());
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

    /** Whether {@code cause} is the network's doing (a reset, a broken pipe) rather than a bug. */
    static boolean isNetwork(Throwable cause) {
        return cause instanceof IOException;
    }
}
