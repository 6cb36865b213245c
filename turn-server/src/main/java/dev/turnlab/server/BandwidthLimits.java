package dev.turnlab.server;

import dev.turnlab.server.allocation.TokenBucket;

/**
 * Bandwidth as coturn limits it, in bytes per second: each allocation may relay {@code maxBps} each way
 * (client → peer and peer → client separately; past it datagrams are dropped and counted), and reserves
 * that much out of the server's {@code bpsCapacity} for as long as it exists; an Allocate that does not fit
 * the rest is refused with 508 Insufficient Capacity (RFC 8656 §7.2), or 300 Try Alternate when alternates
 * are configured. Validated when constructed.
 *
 * @param maxBps payload bytes per second per allocation and direction (coturn's {@code max-bps}; 0: no limit)
 * @param bpsCapacity bytes per second all allocations may reserve together (coturn's {@code bps-capacity}; 0:
 *        no budget); needs {@code maxBps}, since only a limit can be reserved
 */
public record BandwidthLimits(long maxBps, long bpsCapacity) {

    /** No limit and no budget: coturn's default. */
    public static final BandwidthLimits NONE = new BandwidthLimits(0, 0);

    /** Checks each value and that a budget has a per-allocation limit to reserve, and room for one. */
    public BandwidthLimits {
        checkRate("maxBps", maxBps);
        checkRate("bpsCapacity", bpsCapacity);
        if (bpsCapacity > 0 && maxBps == 0) {
            throw new IllegalArgumentException("bpsCapacity: " + bpsCapacity + " needs maxBps (each allocation"
                    + " reserves its max-bps out of the capacity; without one nothing would be reserved)");
        }
        if (bpsCapacity > 0 && bpsCapacity < maxBps) {
            throw new IllegalArgumentException("bpsCapacity: " + bpsCapacity + " (expected: 0 or at least maxBps "
                    + maxBps + ", else no allocation fits)");
        }
    }

    static long checkRate(String what, long bytesPerSecond) {
        if (bytesPerSecond < 0 || bytesPerSecond > TokenBucket.MAX_RATE) {
            throw new IllegalArgumentException(what + ": " + bytesPerSecond + " (expected: 0.." + TokenBucket.MAX_RATE
                    + " bytes per second, 0 for no limit)");
        }
        return bytesPerSecond;
    }
}
