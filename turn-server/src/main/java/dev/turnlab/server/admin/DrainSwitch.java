package dev.turnlab.server.admin;

/**
 * The drain switch of a running server, as the admin listener shows and turns it: while draining, new
 * allocations go to an alternate server (300 Try Alternate, RFC 8489 §10) or are refused with 508, and
 * existing ones live on.
 */
public interface DrainSwitch {

    /** Starts ({@code true}) or ends draining; returns whether that changed anything. */
    boolean drain(boolean on);

    /** Whether the server is draining, and the Allocate requests redirected so far, by reason. */
    MetricsSnapshot.Drain report();
}
