package dev.turnlab.server.admin;

import dev.turnlab.server.TlsReload;

/**
 * The TLS listener's certificate of a running server, as the admin listener shows and reloads it: {@code /metrics}
 * and {@code /status} show its subject and expiry and the reloads so far, {@code POST /tls/reload} reloads it.
 */
public interface TlsCertificates {

    /** No TLS listener: nothing to show, nothing to reload. */
    TlsCertificates NONE = new TlsCertificates() {
        @Override
        public MetricsSnapshot.Tls report() {
            return MetricsSnapshot.Tls.NONE;
        }

        @Override
        public TlsReload reload() {
            return new TlsReload(TlsReload.Outcome.NO_TLS, "the server has no TLS listener", null);
        }
    };

    /** The certificate served now and the reloads so far. */
    MetricsSnapshot.Tls report();

    /** Reloads the certificate and key from their files, keeping the old ones if a file is bad. */
    TlsReload reload();
}
