package dev.turnlab.server;

import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import javax.net.ssl.KeyManagerFactory;

/**
 * Netty's reading of PEM certificate chains and private keys (PKCS#8, encrypted or not, and with Bouncy Castle
 * the older formats), which Netty offers to subclasses of {@link SslContext} only. Never instantiated: it is a
 * subclass only to reach those protected static methods, so that the DTLS listener's JDK context reads the
 * certificate files exactly as the TLS listener's Netty context does.
 */
abstract class PemKeys extends SslContext {

    private PemKeys() {
    }

    /** Key managers holding the chain in {@code certificate} and the key in {@code privateKey}. */
    static KeyManagerFactory keyManagers(Path certificate, Path privateKey) throws Exception {
        return buildKeyManagerFactory(toX509Certificates(certificate.toFile()), null,
                toPrivateKey(privateKey.toFile(), null), null, null, null);
    }
}
