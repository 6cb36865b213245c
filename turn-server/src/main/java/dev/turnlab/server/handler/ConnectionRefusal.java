package dev.turnlab.server.handler;

/** Why the server closed a TCP or TLS connection as soon as it accepted it. */
public enum ConnectionRefusal {
    /** Its source IP address had as many connections open as allowed. */
    PER_SOURCE_LIMIT("per_source_limit"),
    /** The server had as many connections open as allowed. */
    TOTAL_LIMIT("total_limit");

    private final String label;

    ConnectionRefusal(String label) {
        this.label = label;
    }

    /** The metric label and log word. */
    public String label() {
        return label;
    }
}
