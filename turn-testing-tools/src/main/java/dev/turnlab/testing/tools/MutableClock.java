package dev.turnlab.testing.tools;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test advances it: hand it to {@code TurnServerBuilder.clock} to expire nonces,
 * permissions and allocations without waiting. */
public final class MutableClock extends Clock {

    private volatile Instant now;

    /** A clock at the current instant. */
    public MutableClock() {
        this(Instant.now());
    }

    /** A clock at {@code start}. */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /** A clock at the current instant. */
    public static MutableClock now() {
        return new MutableClock(Instant.now());
    }

    /** Moves time forward. */
    public void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public long millis() {
        return now.toEpochMilli();
    }
}
