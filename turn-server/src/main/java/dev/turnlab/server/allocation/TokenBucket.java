package dev.turnlab.server.allocation;

/**
 * A token bucket of bytes for one direction of one allocation (coturn's {@code max-bps}): it fills at
 * {@code rate} bytes per second up to {@code burst} bytes, and a datagram passes only if the bucket holds
 * its whole size, which is then taken out. It starts full. Time is the server clock's milliseconds, which
 * the data path has already read for the datagram: no clock is read here.
 *
 * <p>Tokens are kept in byte-milliseconds (bytes × 1000), so that a refill of {@code elapsed × rate} is
 * exact in integers at any rate; a gap longer than it takes to fill the bucket fills it without
 * multiplying, so a long idle time cannot overflow. A clock that goes back refills nothing.
 *
 * <p>Plain fields, no locks or atomics, and safe so: an allocation's buckets are touched on its event loop
 * only. Data from the client is read there (its UDP listener socket, or its TCP/TLS connection, is the
 * allocation's {@link ClientLink}, and a Send indication is handled where it was read); the relay sockets
 * are bound on that same loop ({@code AllocateHandler}), so data from peers is read there too; and the
 * lab faults' delayed datagrams are scheduled back onto it ({@code RelayFaults}). Status and metrics read
 * the drop counts on that loop as well ({@code ServerMonitor}).
 */
public final class TokenBucket {

    /** The largest rate (and burst) in bytes per second: 10^12, so that byte-milliseconds stay far from overflow. */
    public static final long MAX_RATE = 1_000_000_000_000L;

    private final long rate;
    private final long capacity;
    private final long fillMillis;
    private long tokens;
    private long last;

    /** A full bucket of {@code burst} bytes refilled at {@code rate} bytes per second, as of {@code now}. */
    public TokenBucket(long rate, long burst, long now) {
        if (rate < 1 || rate > MAX_RATE) {
            throw new IllegalArgumentException("rate: " + rate + " (expected: 1.." + MAX_RATE + " bytes per second)");
        }
        if (burst < 1 || burst > MAX_RATE) {
            throw new IllegalArgumentException("burst: " + burst + " (expected: 1.." + MAX_RATE + " bytes)");
        }
        this.rate = rate;
        this.capacity = burst * 1000;
        // ceil(capacity / rate): after this long an empty bucket is full.
        this.fillMillis = (capacity + rate - 1) / rate;
        this.tokens = capacity;
        this.last = now;
    }

    /** Takes {@code bytes} if the bucket holds them at {@code now} and returns true; else takes nothing. */
    public boolean tryTake(int bytes, long now) {
        refill(now);
        long cost = bytes * 1000L;
        if (cost > tokens) {
            return false;
        }
        tokens -= cost;
        return true;
    }

    /** The whole bytes the bucket holds at {@code now}. */
    public long available(long now) {
        refill(now);
        return tokens / 1000;
    }

    /** The refill rate in bytes per second. */
    public long rate() {
        return rate;
    }

    /** The most bytes the bucket holds. */
    public long burst() {
        return capacity / 1000;
    }

    private void refill(long now) {
        long elapsed = now - last;
        if (elapsed <= 0) {
            if (elapsed < 0) {
                last = now; // the wall clock stepped back: add nothing, count from here
            }
            return;
        }
        last = now;
        // elapsed < fillMillis <= capacity / rate + 1, so elapsed * rate < capacity + rate: no overflow.
        tokens = elapsed >= fillMillis ? capacity : Math.min(capacity, tokens + elapsed * rate);
    }
}
