package dev.turnlab.server.cli;

import dev.turnlab.server.TurnServerBuilder;
import picocli.CommandLine.Option;

/** The DTLS listener's options (TURN over DTLS, RFC 7350): its port, or none. */
final class DtlsOptions {

    @Option(names = "--dtls-port", paramLabel = "N",
            description = "DTLS port, UDP with the TLS certificate (default: the TLS port's number when TLS is on, as coturn).")
    Integer dtlsPort;

    @Option(names = "--no-dtls", description = "No DTLS listener.")
    boolean noDtls;

    /** Sets the DTLS listener on {@code b}; without these options the builder's default holds. */
    void applyTo(TurnServerBuilder b) {
        if (noDtls && dtlsPort != null) {
            throw new IllegalArgumentException("dtls-port: " + dtlsPort + " with --no-dtls (expected: one of them)");
        }
        if (noDtls) {
            b.noDtls();
        } else if (dtlsPort != null) {
            b.dtlsPort(dtlsPort);
        }
    }
}
