package dev.turnlab.server.handler;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Limits per-source log lines (rejections, refusals, malformed input) to {@code perSecond} lines per
 * second and source IP address, so that a flood of bad requests cannot fill the disk. Lines past the
 * limit are counted; when the source's next second begins (or {@link #flush} runs) one summary line
 * says how many were suppressed. At most {@code maxSources} addresses are tracked; beyond them, sources
 * share one budget, so memory stays bounded under a flood from spoofed addresses. Thread-safe.
 */
final class LogLimiter {

    private static final long WINDOW_MILLIS = 1000;

    private final int perSecond;
    private final int maxSources;
    private final Map<InetAddress, Window> windows = new ConcurrentHashMap<>();
    private final Window overflow = new Window(null);
    private final BiConsumer<String, Long> summary;
    private volatile long lastPurge;

    /**
     * A limiter of {@code perSecond} lines per source (0: no limit) over at most {@code maxSources}
     * tracked sources; {@code summary} receives a source (or "other sources") and a suppressed count.
     */
    LogLimiter(int perSecond, int maxSources, BiConsumer<String, Long> summary) {
        this.perSecond = perSecond;
        this.maxSources = maxSources;
        this.summary = summary;
    }

    private static final class Window {
        private final InetAddress source;
        private long start = Long.MIN_VALUE;
        private long lines;
        private long suppressed;

        Window(InetAddress source) {
            this.source = source;
        }

        /** Whether the current second of this source is over (or never began; or the clock went back). */
        private boolean ended(long now) {
            return start == Long.MIN_VALUE || now - start >= WINDOW_MILLIS || now < start;
        }

        /** Whether one more line may be logged at {@code now}; reports the previous window's suppressed lines. */
        synchronized long[] admit(long now, int perSecond) {
            long reported = 0;
            if (ended(now)) {
                reported = suppressed;
                start = now;
                lines = 0;
                suppressed = 0;
            }
            if (lines < perSecond) {
                lines++;
                return new long[] {1, reported};
            }
            suppressed++;
            return new long[] {0, reported};
        }

        synchronized long drainIfOver(long now) {
            if (ended(now) && suppressed > 0) {
                long n = suppressed;
                suppressed = 0;
                return n;
            }
            return 0;
        }

        synchronized boolean isIdle(long now) {
            return ended(now) && suppressed == 0;
        }
    }

    /** Whether a line about {@code source} may be logged at {@code now} (epoch millis). */
    boolean admit(InetAddress source, long now) {
        if (perSecond <= 0) {
            return true;
        }
        Window w = windows.get(source);
        if (w == null) {
            if (windows.size() >= maxSources) {
                purge(now);
            }
            w = windows.size() < maxSources ? windows.computeIfAbsent(source, Window::new) : overflow;
        }
        long[] verdict = w.admit(now, perSecond);
        report(w, verdict[1]);
        return verdict[0] == 1;
    }

    /** Reports what ended windows suppressed, and forgets idle sources; the server calls it every second. */
    void flush(long now) {
        for (Window w : windows.values()) {
            report(w, w.drainIfOver(now));
        }
        report(overflow, overflow.drainIfOver(now));
        purge(now);
    }

    private void purge(long now) {
        // At most once a second, so a flood of new sources does not scan the map for every packet.
        if (now - lastPurge < WINDOW_MILLIS) {
            return;
        }
        lastPurge = now;
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            if (it.next().isIdle(now)) {
                it.remove();
            }
        }
    }

    private void report(Window w, long suppressed) {
        if (suppressed > 0) {
            summary.accept(w.source == null ? "other sources" : w.source.getHostAddress(), suppressed);
        }
    }

    /** How many sources are tracked now. */
    int trackedSources() {
        return windows.size();
    }
}
