package dev.turnlab.server.handler;

import dev.turnlab.server.ServerCounters;
import dev.turnlab.server.auth.SourceKey;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the TCP and TLS connections open at once, per source and in all: a source is an IPv4 address or an
 * IPv6 /64 ({@link SourceKey}), as for login limits, since one IPv6 host holds a whole /64. A connection past a cap
 * is reset as soon as it is accepted (SO_LINGER 0: no TIME_WAIT left on the server), counted and logged;
 * an admitted one gives its place back when it closes. Holds one entry per source with connections open.
 * Thread-safe: every listener's event loops share one instance.
 */
public final class ConnectionCaps {

    private final int maxPerSource;
    private final int maxTotal;
    private final ServerCounters counters;
    private final AllocationLog log;
    private final AtomicInteger total = new AtomicInteger();
    private final Map<Long, Integer> perSource = new ConcurrentHashMap<>();

    /** Caps of {@code maxPerSource} connections per source and {@code maxTotal} in all (0: none). */
    public ConnectionCaps(int maxPerSource, int maxTotal, ServerCounters counters, AllocationLog log) {
        this.maxPerSource = maxPerSource;
        this.maxTotal = maxTotal;
        this.counters = counters;
        this.log = log;
    }

    /**
     * Admits the accepted connection {@code ch} and returns true, or closes it at once and returns false;
     * an admitted connection is counted until it closes.
     */
    public boolean admit(Channel ch) {
        InetSocketAddress client = (InetSocketAddress) ch.remoteAddress();
        if (client == null) {
            ch.close(); // reset before it was set up: nothing to count
            return false;
        }
        ConnectionRefusal refused = acquire(client.getAddress());
        if (refused != null) {
            counters.connectionRefused(refused);
            log.connectionRefused(client, refused, refused == ConnectionRefusal.PER_SOURCE_LIMIT ? maxPerSource : maxTotal);
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
            ch.close();
            return false;
        }
        counters.connectionOpened();
        ch.closeFuture().addListener(f -> {
            release(client.getAddress());
            counters.connectionClosed();
        });
        return true;
    }

    /** Takes a place for a connection from {@code source}, or says which cap refuses it. */
    ConnectionRefusal acquire(InetAddress source) {
        if (total.incrementAndGet() > maxTotal && maxTotal > 0) {
            total.decrementAndGet();
            return ConnectionRefusal.TOTAL_LIMIT;
        }
        if (maxPerSource > 0) {
            boolean[] full = new boolean[1];
            perSource.compute(SourceKey.of(source), (k, n) -> {
                int open = n == null ? 0 : n;
                full[0] = open >= maxPerSource;
                return full[0] ? n : open + 1;
            });
            if (full[0]) {
                total.decrementAndGet();
                return ConnectionRefusal.PER_SOURCE_LIMIT;
            }
        }
        return null;
    }

    /** Gives back the place of a connection from {@code source}. */
    void release(InetAddress source) {
        total.decrementAndGet();
        if (maxPerSource > 0) {
            perSource.computeIfPresent(SourceKey.of(source), (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Connections open now. */
    int open() {
        return total.get();
    }

    /** Sources (IPv4 addresses, IPv6 /64 prefixes) with connections open now. */
    int sources() {
        return perSource.size();
    }
}
