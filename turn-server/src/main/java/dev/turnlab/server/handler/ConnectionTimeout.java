package dev.turnlab.server.handler;

/** Why the server closed a TCP or TLS connection that held no allocation. */
public enum ConnectionTimeout {
    /** No STUN request within the first-request timeout of the connection's start. */
    FIRST_REQUEST("first_request"),
    /** A frame begun did not complete within the partial-frame timeout. */
    PARTIAL_FRAME("partial_frame"),
    /** No allocation within the allocate timeout of the connection's start, requests or not. */
    ALLOCATE("allocate"),
    /** Nothing read for the idle timeout. */
    IDLE("idle");

    private final String label;

    ConnectionTimeout(String label) {
        this.label = label;
    }

    /** The metric label and log word. */
    public String label() {
        return label;
    }
}
