package dev.turnlab.server.cli;

import dev.turnlab.cli.DurationConverter;
import dev.turnlab.server.TlsReload;
import dev.turnlab.server.TlsSettings;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.TurnServerBuilder;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The TLS listener's cipher suites and protocol versions, under coturn's option names, and how its certificate is
 * reloaded: on SIGHUP ({@link #installReloadSignal}) and when the files change.
 */
final class TlsOptions {

    private static final Logger LOG = LoggerFactory.getLogger(TlsOptions.class);

    @Option(names = "--cipher-list", paramLabel = "LIST", description = "TLS 1.2 cipher suites, ':' or ','-separated,"
            + " IANA (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256) or OpenSSL (ECDHE-RSA-AES128-GCM-SHA256) names"
            + " (default: Netty's, ECDHE with AES-GCM first); TLS 1.3 suites stay unless the list names one.")
    String cipherList;

    @Option(names = "--no-tlsv1_2", description = "TLS 1.3 only (TLS 1.0 and 1.1 are never offered).")
    boolean noTls12;

    @Option(names = "--tls-reload-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How often the --cert and --pkey files are looked at for a renewal (default 5s; 0: only on"
                    + " SIGHUP or POST /tls/reload).")
    Duration reloadInterval;

    /** Sets the options given on {@code b}; throws {@link IllegalArgumentException} with one line for a bad one. */
    void applyTo(TurnServerBuilder b) {
        if (cipherList != null) {
            b.tlsCipherSuites(TlsSettings.parseCipherList(cipherList));
        }
        if (noTls12) {
            b.tlsProtocols(List.of("TLSv1.3"));
        }
        if (reloadInterval != null) {
            b.tlsReloadInterval(reloadInterval);
        }
    }

    /**
     * Reloads {@code server}'s TLS certificate on SIGHUP (what {@code systemctl reload} and certbot's deploy hooks
     * send) instead of the JVM's default of exiting, after {@code first} (the log file's reopening, for logrotate).
     * Where the signal does not exist (Windows) or the JVM keeps it ({@code -Xrs}), there is no handler and the
     * files are still polled.
     */
    static void installReloadSignal(TurnServer server, Runnable first) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> {
                first.run();
                TlsReload r = server.reloadTlsCertificate();
                // The reload logged its outcome itself, unless there was nothing to reload.
                if (r.outcome() == TlsReload.Outcome.SELF_SIGNED || r.outcome() == TlsReload.Outcome.NO_TLS) {
                    LOG.info("SIGHUP: {}", r);
                }
            });
        } catch (IllegalArgumentException e) {
            LOG.debug("no SIGHUP handler: {}", e.getMessage());
        }
    }
}
