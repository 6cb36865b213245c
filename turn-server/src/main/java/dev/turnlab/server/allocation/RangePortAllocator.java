package dev.turnlab.server.allocation;

import dev.turnlab.server.PortRange;
import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The default {@link RelayPortAllocator}: the ports of a range, searched from a random start so that
 * relayed addresses are hard to guess (RFC 8656 §7.2 recommends randomised ports).
 */
public final class RangePortAllocator implements RelayPortAllocator {

    private final PortRange range;
    private final BitSet used;
    private int free;

    /** An allocator over {@code range}, all ports free. */
    public RangePortAllocator(PortRange range) {
        this.range = range;
        this.used = new BitSet(range.size());
        this.free = range.size();
    }

    @Override
    public synchronized int acquire(boolean even) {
        int size = range.size();
        int start = ThreadLocalRandom.current().nextInt(size);
        for (int i = 0; i < size; i++) {
            int index = (start + i) % size;
            int port = range.min() + index;
            if (!used.get(index) && (!even || port % 2 == 0)) {
                used.set(index);
                free--;
                return port;
            }
        }
        return -1;
    }

    @Override
    public synchronized boolean acquire(int port) {
        if (!range.contains(port) || used.get(port - range.min())) {
            return false;
        }
        used.set(port - range.min());
        free--;
        return true;
    }

    @Override
    public synchronized void release(int port) {
        if (range.contains(port) && used.get(port - range.min())) {
            used.clear(port - range.min());
            free++;
        }
    }

    @Override
    public synchronized int available() {
        return free;
    }
}
