package dev.turnlab.server.allocation;

/**
 * Hands out relay ports (RFC 8656 §7.2): any free port, an even one (EVEN-PORT), or a specific one (the
 * odd port kept by a RESERVATION-TOKEN). Injectable so that tests control the ports. Thread-safe.
 *
 * <p>A port is taken from {@code acquire} until {@code release}: by an allocation from the Allocate that
 * took it until its relay sockets have closed, or by a RESERVATION-TOKEN until claimed or expired.
 */
public interface RelayPortAllocator {

    /** A free port, even if {@code even}, now taken; or -1 when none is left (508 Insufficient Capacity). */
    int acquire(boolean even);

    /** Takes {@code port} if it is free; returns whether it was. */
    boolean acquire(int port);

    /** Gives a port back. */
    void release(int port);

    /**
     * Gives back a port whose relay socket could not be bound (another socket holds it): free again, but an
     * allocator may pass it over for a while so that a port held elsewhere is not tried by every Allocate.
     * The default gives it back at once.
     */
    default void releaseAfterBindFailure(int port) {
        release(port);
    }

    /** How many ports are free (including any an allocator passes over for now). */
    int available();
}
