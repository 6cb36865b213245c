package dev.turnlab.server;

import dev.turnlab.codec.dtls.DtlsEngines;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * The DTLS listener's engines (RFC 7350, RFC 8656 §3.1), made from the TLS listener's {@link TlsCredentials}
 * (its certificate files, or the self-signed certificate for labs) in a JDK context of protocol DTLS (Netty has
 * no DTLS). When the credentials reload, new associations get the new certificate; established ones keep
 * theirs, as TLS connections do.
 */
final class DtlsSupport {

    private DtlsSupport() {
    }

    /**
     * Server engines that follow {@code credentials}' reloads; with {@code cipherSuites} (IANA names, as
     * {@code --cipher-list} gives them) the DTLS 1.2 ones among them are the only ones enabled.
     */
    static DtlsEngines serverEngines(TlsCredentials credentials, List<String> cipherSuites) {
        AtomicReference<DtlsEngines> current = new AtomicReference<>(engines(credentials.current(), cipherSuites));
        credentials.onReload(material -> current.set(engines(material, cipherSuites)));
        return remote -> current.get().newEngine(remote);
    }

    private static DtlsEngines engines(TlsKeyMaterial material, List<String> cipherSuites) {
        SSLContext context;
        try {
            context = material.newSslContext("DTLS");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no DTLS with this certificate: " + e.getMessage(), e);
        }
        DtlsEngines engines = DtlsEngines.server(context);
        if (cipherSuites.isEmpty()) {
            return engines;
        }
        // Once per certificate, not per association. TLS 1.3's suites (TLS_AES_…, TLS_CHACHA20_…) have no DTLS 1.2
        // use: only the others are kept.
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getCipherSuites());
        String[] enabled = cipherSuites.stream().filter(supported::contains)
                .filter(s -> s.contains("_WITH_") || s.startsWith("TLS_EMPTY")).toArray(String[]::new);
        if (enabled.length == 0) {
            return engines;
        }
        return remote -> {
            SSLEngine engine = engines.newEngine(remote);
            engine.setEnabledCipherSuites(enabled);
            return engine;
        };
    }
}
