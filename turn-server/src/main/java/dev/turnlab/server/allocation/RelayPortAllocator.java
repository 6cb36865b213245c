package dev.turnlab.server.allocation;

/**
 * Hands out relay ports (RFC 8656 §7.2): any free port, an even one (EVEN-PORT), or a specific one (the
 * odd port kept by a RESERVATION-TOKEN). Injectable so that tests control the ports. Thread-safe.
 */
public interface RelayPortAllocator {

    /** A free port, even if {@code even}, now taken; or -1 when none is left (508 Insufficient Capacity). */
    int acquire(boolean even);

    /** Takes {@code port} if it is free; returns whether it was. */
    boolean acquire(int port);

    /** Gives a port back. */
    void release(int port);

    /** How many ports are free. */
    int available();
}
