package dev.turnlab.server;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * One certificate chain and its private key, as the TLS listener serves them, numbered by {@code generation}:
 * 1 for the one loaded at the start, one more for each successful reload ({@link TlsCredentials}).
 *
 * @param chain the certificate chain, the server's own certificate first
 * @param privateKey the private key of the first certificate
 * @param generation 1 at the start, then one more for each reload
 */
public record TlsKeyMaterial(List<X509Certificate> chain, PrivateKey privateKey, long generation) {

    /** Copies the chain, which has the server's certificate first. */
    public TlsKeyMaterial {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain: empty (expected: at least the server's certificate)");
        }
    }

    /** The server certificate: the first of the chain. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The server certificate's subject, as RFC 2253 writes it. */
    public String subject() {
        return certificate().getSubjectX500Principal().getName();
    }

    /** When the server certificate expires (its notAfter). */
    public Instant expiry() {
        return certificate().getNotAfter().toInstant();
    }

    /**
     * A new JDK {@link SSLContext} for {@code protocol} ({@code "TLS"}, {@code "DTLS"}) serving this chain and
     * key, with the platform's trust managers and random source: for a listener that does not use Netty's TLS.
     */
    public SSLContext newSslContext(String protocol) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance(protocol);
        context.init(keyManagerFactory().getKeyManagers(), null, null);
        return context;
    }

    /** A key manager factory holding this chain and key. */
    public KeyManagerFactory keyManagerFactory() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new java.security.KeyStoreException(e);
        }
        char[] password = new char[0];
        store.setKeyEntry("turnlab", privateKey, password, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory;
    }

    /** The generation, subject and expiry; never the key. */
    @Override
    public String toString() {
        return "TlsKeyMaterial[generation=" + generation + ", subject=" + subject() + ", expiry=" + expiry() + "]";
    }
}
