package dev.turnlab.server.relay;

import dev.turnlab.server.admin.LatencyHistogram;
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
    private LatencyHistogram sample;
    private long sampleStart;

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
     * Records in {@code latency} the time since {@code start} ({@link System#nanoTime}) once this event loop's
     * writes are flushed: a datagram written in this turn of the loop leaves with that flush, so its time in
     * the server ends there. At once when nothing waits for a flush (the write was off the loop); one sample
     * per turn of the loop, the first, which for a sampled datagram in 64 is no loss. Allocates nothing.
     */
    public static void observeAtFlush(LatencyHistogram latency, long start) {
        Flusher f = PER_THREAD.get();
        if (!f.scheduled) {
            latency.observe(System.nanoTime() - start);
        } else if (f.sample == null) {
            f.sample = latency;
            f.sampleStart = start;
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
        if (sample != null) {
            sample.observe(System.nanoTime() - sampleStart);
            sample = null;
        }
    }
}
