package dev.turnlab.server.allocation;

/**
 * Why an allocation was deleted, carried from where it happens to where it is counted and logged.
 * Every deletion has one of these causes: there is no catch-all.
 */
public enum Deletion {
    /** Its lifetime passed without a Refresh (RFC 8656 §6), found by the sweep or by the next request. */
    EXPIRED("expired", "expired"),
    /** The client sent a Refresh with a LIFETIME of zero (RFC 8656 §8.2). */
    REFRESH("refresh", "refresh with lifetime 0"),
    /** Its TCP or TLS connection to the client closed (RFC 8656 §3.1). */
    CONNECTION_CLOSED("connection_closed", "connection closed"),
    /** The server that held it closed: the server stopping, or a test harness ending its own server. */
    SERVER_CLOSED("server_closed", "server closed"),
    /** An operator ended it through the admin API ({@code DELETE /api/allocations/ID}), as coturn's CLI {@code cs}. */
    ADMIN("admin", "ended by the admin API");

    private final String label;
    private final String description;

    Deletion(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** The {@code reason} label of the metric. */
    public String label() {
        return label;
    }

    /** The {@code reason} of the log line. */
    public String description() {
        return description;
    }
}
