package dev.turnlab.server;

import dev.turnlab.codec.dtls.DtlsEngines;
import dev.turnlab.server.admin.MetricsSnapshot;
import dev.turnlab.server.admin.TlsCertificates;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one certificate a server's TLS and DTLS listeners serve: its {@link TlsCredentials}, the poll of its files,
 * and the DTLS engines made from it, which follow its reloads as the TLS context does.
 */
final class ServerTls implements TlsCertificates, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    private final TlsCredentials credentials;
    private final ScheduledExecutorService poller;
    private final DtlsEngines dtls;

    private ServerTls(TlsCredentials credentials, ScheduledExecutorService poller, DtlsEngines dtls) {
        this.credentials = credentials;
        this.poller = poller;
        this.dtls = dtls;
    }

    /** The certificate of {@code listeners}, polled for changes as they say; null without a TLS or DTLS listener. */
    static ServerTls start(ListenerConfig listeners) {
        if (!listeners.tls() && !listeners.dtls()) {
            return null;
        }
        TlsCredentials credentials = TlsSupport.credentials(listeners);
        DtlsEngines dtls = listeners.dtls()
                ? DtlsSupport.serverEngines(credentials, listeners.tlsSettings().cipherSuites()) : null;
        return new ServerTls(credentials, poll(credentials, listeners.tlsSettings().reloadInterval()), dtls);
    }

    TlsCredentials credentials() {
        return credentials;
    }

    /** The TLS context for a new connection: the current certificate's. */
    SslContext sslContext() {
        return credentials.sslContext();
    }

    /** The DTLS engines, or null without a DTLS listener. */
    DtlsEngines dtlsEngines() {
        return dtls;
    }

    @Override
    public MetricsSnapshot.Tls report() {
        TlsKeyMaterial m = credentials.current();
        return new MetricsSnapshot.Tls(m.subject(), m.expiry(), credentials.reloads(), credentials.reloadFailures());
    }

    @Override
    public TlsReload reload() {
        return credentials.reload();
    }

    /** Stops the poll. */
    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** Looks at the certificate files every {@code interval} on a thread of its own; null when never. */
    private static ScheduledExecutorService poll(TlsCredentials tls, Duration interval) {
        if (!tls.fromFiles() || interval.isZero()) {
            return null;
        }
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "turnlab-tls-reload");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, interval.toMillis());
        poller.scheduleWithFixedDelay(() -> {
            try {
                tls.poll();
            } catch (RuntimeException e) {
                // A task that throws is never run again: the next renewal would go unnoticed.
                LOG.warn("TLS certificate poll failed: {}", e.toString());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
        return poller;
    }
}
