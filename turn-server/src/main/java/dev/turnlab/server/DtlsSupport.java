package dev.turnlab.server;

import dev.turnlab.codec.dtls.DtlsEngines;
import java.nio.file.Path;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The DTLS listener's engines (RFC 7350, RFC 8656 §3.1): the TLS listener's certificate and key, or a
 * self-signed certificate for labs, in a JDK context of protocol DTLS (Netty has no DTLS). The one place
 * they are made, so that a reloaded certificate can replace them as a whole.
 */
final class DtlsSupport {

    private DtlsSupport() {
    }

    /** Server engines from the PEM files, or from a fresh self-signed certificate when {@code certificate} is null. */
    static DtlsEngines serverEngines(Path certificate, Path privateKey) {
        KeyManagerFactory keys;
        if (certificate != null) {
            TlsSupport.readable("tlsCertificate", certificate);
            TlsSupport.readable("tlsPrivateKey", privateKey);
            try {
                keys = PemKeys.keyManagers(certificate, privateKey);
            } catch (Exception e) {
                throw new IllegalArgumentException("tlsCertificate: " + certificate + " with " + privateKey
                        + " (no certificate and key for DTLS: " + e.getMessage() + ")", e);
            }
        } else if (TlsSupport.bouncyCastlePresent()) {
            keys = SelfSignedCertificate.keyManagers();
        } else {
            throw new IllegalStateException("a DTLS listener without tlsCertificate and tlsPrivateKey makes a self-signed"
                    + " certificate with Bouncy Castle: add org.bouncycastle:bcpkix-jdk18on to the class path, or give"
                    + " the certificate and key files");
        }
        try {
            SSLContext context = SSLContext.getInstance("DTLS");
            context.init(keys.getKeyManagers(), null, null);
            return DtlsEngines.server(context);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no DTLS: " + e.getMessage(), e);
        }
    }
}
