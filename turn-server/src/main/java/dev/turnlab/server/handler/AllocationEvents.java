package dev.turnlab.server.handler;

import dev.turnlab.server.allocation.Allocation;
import java.time.Duration;

/**
 * Where an allocation's life is reported beyond the log: created, refreshed, swept (about once a second, for
 * its traffic) and deleted. Called on the allocation's event loop, never on the data path; an implementation
 * must not block and must not throw.
 */
public interface AllocationEvents {

    /** Reports nothing. */
    AllocationEvents NONE = new AllocationEvents() {
    };

    /** {@code a} was created with {@code lifetime}. */
    default void created(Allocation a, Duration lifetime) {
    }

    /** {@code a} was refreshed to {@code lifetime}. */
    default void refreshed(Allocation a, Duration lifetime) {
    }

    /** The periodic sweep passed {@code a}, which lives on. */
    default void swept(Allocation a) {
    }

    /** {@code a} was deleted. */
    default void deleted(Allocation a) {
    }
}
