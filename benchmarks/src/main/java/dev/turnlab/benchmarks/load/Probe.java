package dev.turnlab.benchmarks.load;

import io.netty.buffer.ByteBuf;

/**
 * The payload every packet carries: its sequence number in the session and the sender's
 * {@link System#nanoTime()}, both 64 bits, then zero filler up to the configured size.
 */
final class Probe {

    /** The smallest payload that holds a probe: sequence number and send time. */
    static final int MIN_LENGTH = 16;

    private Probe() {
    }

    /** Writes a probe of {@code length} bytes. */
    static void write(ByteBuf out, long sequence, long sentNanos, int length) {
        out.writeLong(sequence);
        out.writeLong(sentNanos);
        out.writeZero(length - MIN_LENGTH);
    }

    /** The sequence number of the probe whose payload starts at absolute {@code index}. */
    static long sequence(ByteBuf in, int index) {
        return in.getLong(index);
    }

    /** The send time of the probe whose payload starts at absolute {@code index}. */
    static long sentNanos(ByteBuf in, int index) {
        return in.getLong(index + 8);
    }
}
