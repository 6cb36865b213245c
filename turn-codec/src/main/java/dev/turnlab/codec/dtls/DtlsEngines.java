package dev.turnlab.codec.dtls;

import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * Makes the {@link SSLEngine} of one DTLS association: the one place where a side's certificate, trust and
 * protocol settings meet, so that swapping the engines swaps them all.
 */
@FunctionalInterface
public interface DtlsEngines {

    /** The only protocol version offered or accepted: DTLS 1.0 (RFC 4347) is obsolete. */
    String PROTOCOL = "DTLSv1.2";

    /** A new engine for the association with {@code remote}, in client or server mode already. */
    SSLEngine newEngine(InetSocketAddress remote);

    /** Server engines from a JDK context of protocol {@code "DTLS"}, with DTLS 1.2 only. */
    static DtlsEngines server(SSLContext context) {
        return remote -> {
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            engine.setSSLParameters(parameters(engine, null));
            return engine;
        };
    }

    /**
     * Client engines from a JDK context of protocol {@code "DTLS"}, with DTLS 1.2 only; {@code endpointIdentification}
     * is the algorithm that checks the server's name ({@code "HTTPS"}), or null for none.
     */
    static DtlsEngines client(SSLContext context, String endpointIdentification) {
        return remote -> {
            SSLEngine engine = context.createSSLEngine(remote.getHostString(), remote.getPort());
            engine.setUseClientMode(true);
            engine.setSSLParameters(parameters(engine, endpointIdentification));
            return engine;
        };
    }

    /**
     * A client context of protocol {@code "DTLS"} trusting what {@code trust} trusts, or the JDK's default
     * certificate authorities when it is null.
     */
    static SSLContext clientContext(TrustManagerFactory trust) throws GeneralSecurityException {
        TrustManagerFactory managers = trust;
        if (managers == null) {
            managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            managers.init((KeyStore) null);
        }
        SSLContext context = SSLContext.getInstance("DTLS");
        context.init(null, managers.getTrustManagers(), null);
        return context;
    }

    private static SSLParameters parameters(SSLEngine engine, String endpointIdentification) {
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(new String[] {PROTOCOL});
        p.setEndpointIdentificationAlgorithm(endpointIdentification);
        // The application (DtlsHandler) retransmits on its own timer by asking the engine for the flight again.
        p.setEnableRetransmissions(true);
        return p;
    }
}
