package dev.turnlab.server;

/**
 * What a reload of the TLS certificate did ({@link TurnServer#reloadTlsCertificate()}).
 *
 * @param outcome what happened
 * @param detail one line for an operator: the new certificate's subject and expiry, or why nothing changed
 * @param current what the listener serves now, or null without a TLS listener
 */
public record TlsReload(Outcome outcome, String detail, TlsKeyMaterial current) {

    /** What a reload did. */
    public enum Outcome {
        /** New connections get the new certificate; existing ones keep theirs. */
        RELOADED,
        /** The files hold the certificate and key already served. */
        UNCHANGED,
        /** A file could not be read or parsed, or the key does not match the certificate: the old one stays. */
        FAILED,
        /** The certificate was generated at the start (no files): there is nothing to reload. */
        SELF_SIGNED,
        /** The server has no TLS listener. */
        NO_TLS
    }

    /** Whether the listener serves the files' certificate now (reloaded or unchanged). */
    public boolean ok() {
        return outcome == Outcome.RELOADED || outcome == Outcome.UNCHANGED;
    }

    /** The outcome in lower case and the detail, e.g. {@code reloaded: CN=turn.example.com, expires ...}. */
    @Override
    public String toString() {
        return outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + detail;
    }
}
