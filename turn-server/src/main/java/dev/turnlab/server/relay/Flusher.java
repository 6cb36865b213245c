package dev.turnlab.server.relay;

import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;

/**
 * Writes now, flushes once per turn of the event loop. A relayed datagram is written to its socket's
 * outbound buffer and the socket is flushed by a task that runs after the loop has handled every socket
 * that was ready: datagrams that many relay sockets send to one listener, or one session's burst to its
 * peer, leave in one {@code sendmmsg} (epoll) instead of a {@code sendto} each. One per event-loop thread.
 */
public final class Flusher implements Runnable {

    private static final FastThreadLocal<Flusher> PER_THREAD = new FastThreadLocal<>() {
        @Override
        protected Flusher initialValue() {
            return new Flusher();
        }
    };

    private final ArrayList<Channel> pending = new ArrayList<>();
    private boolean scheduled;

    private Flusher() {
    }

    /**
     * Writes {@code msg} to {@code channel} and flushes it before the event loop next waits for I/O; off
     * the channel's event loop it is written and flushed at once. Write failures are not reported.
     */
    public static void write(Channel channel, Object msg) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.writeAndFlush(msg, channel.voidPromise());
            return;
        }
        PER_THREAD.get().add(channel, msg);
    }

    private void add(Channel channel, Object msg) {
        channel.write(msg, channel.voidPromise());
        int n = pending.size();
        // Consecutive writes to one socket are the common case; a repeat further back only costs a no-op flush.
        if (n == 0 || pending.get(n - 1) != channel) {
            pending.add(channel);
        }
        if (!scheduled) {
            scheduled = true;
            channel.eventLoop().execute(this);
        }
    }

    /**
     * Whether {@code channel} can take more relayed data. Past its high water mark it is flushed at once
     * and asked again: the queue fills during a turn of the event loop whose flush is deferred to its end,
     * so only a queue the kernel did not take is a reason to drop.
     */
    public static boolean writable(Channel channel) {
        if (channel.isWritable()) {
            return true;
        }
        channel.flush();
        return channel.isWritable();
    }

    /** Flushes every channel written since the last run. */
    @Override
    public void run() {
        scheduled = false;
        ArrayList<Channel> channels = pending;
        for (int i = 0; i < channels.size(); i++) {
            channels.get(i).flush();
        }
        channels.clear();
    }
}
