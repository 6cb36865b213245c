package dev.turnlab.soak;

import java.util.ArrayList;
import java.util.List;

/**
 * What a server process holds at one moment: heap in use after a full GC and resident memory (KiB), open file
 * descriptors, relay ports in use and allocations (from {@code /metrics}).
 */
record Footprint(long heapKb, long rssKb, long fds, long relayPortsInUse, long allocations) {

    /** The margins a soak allows between its start and its end; the counts must come back exactly, fds within 2. */
    static final long HEAP_MARGIN_KB = 16 * 1024;
    static final long RSS_MARGIN_KB = 64 * 1024;
    static final long FD_MARGIN = 2;

    /** The ways this end state differs from {@code start} beyond the margins; empty when it is back where it started. */
    List<String> departuresFrom(Footprint start) {
        List<String> out = new ArrayList<>();
        if (heapKb > start.heapKb + HEAP_MARGIN_KB) {
            out.add("heap after GC " + start.heapKb + " KiB -> " + heapKb + " KiB (margin " + HEAP_MARGIN_KB + ")");
        }
        if (rssKb > start.rssKb + RSS_MARGIN_KB) {
            out.add("VmRSS " + start.rssKb + " KiB -> " + rssKb + " KiB (margin " + RSS_MARGIN_KB + ")");
        }
        if (Math.abs(fds - start.fds) > FD_MARGIN) {
            out.add("open fds " + start.fds + " -> " + fds + " (margin " + FD_MARGIN + ")");
        }
        if (relayPortsInUse != start.relayPortsInUse) {
            out.add("relay ports in use " + start.relayPortsInUse + " -> " + relayPortsInUse);
        }
        if (allocations != start.allocations) {
            out.add("allocations " + start.allocations + " -> " + allocations);
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format("heap %d KiB, VmRSS %d KiB, fds %d, relay ports %d, allocations %d", heapKb, rssKb, fds,
                relayPortsInUse, allocations);
    }
}
