package dev.turnlab.server;

import java.nio.file.Files;
import java.nio.file.Path;

/** The TLS listener's context (RFC 8656 §3.1): from PEM files, or a self-signed certificate for labs. */
final class TlsSupport {

    private TlsSupport() {
    }

    /** The TLS listener's certificate: from the configured files, else generated. */
    static TlsCredentials credentials(ListenerConfig config) {
        if (config.tlsCertificate() != null) {
            return TlsCredentials.fromFiles(config.tlsCertificate(), config.tlsPrivateKey(), config.tlsSettings());
        }
        if (!bouncyCastlePresent()) {
            throw new IllegalStateException("a TLS listener without tlsCertificate and tlsPrivateKey makes a self-signed"
                    + " certificate with Bouncy Castle: add org.bouncycastle:bcpkix-jdk18on to the class path, or give"
                    + " the certificate and key files");
        }
        return TlsCredentials.generated(SelfSignedCertificate.generate(), config.tlsSettings());
    }

    /** Whether Bouncy Castle's certificate builder, an optional dependency, is on the class path. */
    static boolean bouncyCastlePresent() {
        try {
            Class.forName("org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder", false,
                    TlsSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Throws {@link IllegalArgumentException} naming {@code file} unless it is a readable regular file. */
    static void readable(String what, Path file) {
        String problem = !Files.exists(file) ? "does not exist"
                : Files.isDirectory(file) ? "is a directory"
                : !Files.isReadable(file) ? "cannot be read" : null;
        if (problem != null) {
            throw new IllegalArgumentException(what + ": " + file + " (" + problem + ")");
        }
    }
}
