package dev.turnlab.server.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A JDK TLS client handshake with chosen versions and suites, trusting any certificate: what a server offers. */
public final class TlsHandshake {

    private TlsHandshake() {
    }

    /** Handshakes with {@code server} with the JDK's default versions and suites; returns the session. */
    public static SSLSession with(InetSocketAddress server) throws IOException {
        return with(server, null, null);
    }

    /**
     * Handshakes with {@code server} offering only {@code protocols} and {@code suites} (null for the JDK's
     * defaults), then closes; returns the session. A refused handshake throws {@link javax.net.ssl.SSLException}.
     */
    public static SSLSession with(InetSocketAddress server, String[] protocols, String[] suites) throws IOException {
        try (SSLSocket s = (SSLSocket) trustingAll().getSocketFactory().createSocket()) {
            s.connect(server, 5000);
            s.setSoTimeout(10_000);
            if (protocols != null) {
                s.setEnabledProtocols(protocols);
            }
            if (suites != null) {
                s.setEnabledCipherSuites(suites);
            }
            s.startHandshake();
            return s.getSession();
        }
    }

    /** The certificate {@code server} presents to a new connection. */
    public static X509Certificate certificate(InetSocketAddress server) throws IOException {
        return (X509Certificate) with(server).getPeerCertificates()[0];
    }

    private static SSLContext trustingAll() throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }
}
