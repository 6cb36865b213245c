package dev.turnlab.server;

import io.netty.handler.ssl.CipherSuiteConverter;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The TLS listener's protocol versions, cipher suites and how often its certificate files are looked at for a
 * renewal. Validated when constructed.
 *
 * @param protocols the enabled versions, {@code TLSv1.2} and {@code TLSv1.3} or one of them (TLS 1.0 and 1.1 are
 *        never enabled: RFC 8996)
 * @param cipherSuites the enabled TLS 1.2 suites by their IANA names, or empty for Netty's defaults (ECDHE with
 *        AES-GCM first); TLS 1.3 suites stay at their defaults unless the list names one of them, as with
 *        OpenSSL, where coturn's cipher-list governs TLS 1.2 only
 * @param reloadInterval how often the certificate and key files are looked at for a change, zero for never
 */
public record TlsSettings(List<String> protocols, List<String> cipherSuites, Duration reloadInterval) {

    /** TLS 1.3 and 1.2. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** How often the certificate files are looked at by default. */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(5);

    /** TLS 1.2 and 1.3 with Netty's default suites, the files looked at every five seconds. */
    public static final TlsSettings DEFAULTS = new TlsSettings(DEFAULT_PROTOCOLS, List.of(), DEFAULT_RELOAD_INTERVAL);

    /** The TLS 1.3 suites (RFC 8446 §B.4) that a cipher list without any of them leaves enabled. */
    static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    /** Validates every component and copies the lists. */
    public TlsSettings {
        protocols = List.copyOf(protocols);
        if (protocols.isEmpty() || !DEFAULT_PROTOCOLS.containsAll(protocols)) {
            throw new IllegalArgumentException("tlsProtocols: " + String.join(",", protocols)
                    + " (expected: TLSv1.2, TLSv1.3 or both)");
        }
        cipherSuites = List.copyOf(cipherSuites);
        Set<String> supported = supportedSuites();
        for (String s : cipherSuites) {
            if (!supported.contains(s)) {
                throw unknownSuite(s);
            }
        }
        if (reloadInterval.isNegative()) {
            throw new IllegalArgumentException("tlsReloadInterval: " + reloadInterval + " (expected: >= 0, 0 for never)");
        }
    }

    /**
     * The IANA names of the suites in coturn's {@code --cipher-list}: colon- or comma-separated, each an IANA name
     * ({@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}) or an OpenSSL one ({@code ECDHE-RSA-AES128-GCM-SHA256}).
     * OpenSSL's {@code DEFAULT} alone means the default suites (an empty list); its other keywords and operators
     * ({@code HIGH}, {@code !aNULL}) are not suites and are refused in one line.
     */
    public static List<String> parseCipherList(String list) {
        if (list.strip().equals("DEFAULT")) {
            return List.of();
        }
        Set<String> supported = supportedSuites();
        Set<String> suites = new LinkedHashSet<>();
        for (String name : list.split("[:,]")) {
            String n = name.strip();
            if (n.isEmpty()) {
                continue;
            }
            // Netty's converter maps an OpenSSL name it does not know to an invented IANA one: the lookup refuses it.
            String iana = n.startsWith("TLS_") ? n : CipherSuiteConverter.toJava(n, "TLS");
            if (iana == null || !supported.contains(iana)) {
                throw unknownSuite(n);
            }
            suites.add(iana);
        }
        if (suites.isEmpty()) {
            throw new IllegalArgumentException("cipher-list: empty (expected: cipher suites separated by ':' or ',')");
        }
        return List.copyOf(suites);
    }

    /** The suites to enable: the configured ones with the TLS 1.3 defaults unless they name one; null for Netty's. */
    List<String> enabledSuites() {
        if (cipherSuites.isEmpty()) {
            return null;
        }
        List<String> enabled = new ArrayList<>(cipherSuites);
        if (cipherSuites.stream().noneMatch(TLS13_SUITES::contains)) {
            Set<String> supported = supportedSuites();
            TLS13_SUITES.stream().filter(supported::contains).forEach(enabled::add);
        }
        return enabled;
    }

    /** These settings with {@code protocols} instead. */
    public TlsSettings withProtocols(List<String> protocols) {
        return new TlsSettings(protocols, cipherSuites, reloadInterval);
    }

    /** These settings with {@code cipherSuites} instead. */
    public TlsSettings withCipherSuites(List<String> cipherSuites) {
        return new TlsSettings(protocols, cipherSuites, reloadInterval);
    }

    /** These settings with {@code reloadInterval} instead. */
    public TlsSettings withReloadInterval(Duration reloadInterval) {
        return new TlsSettings(protocols, cipherSuites, reloadInterval);
    }

    private static IllegalArgumentException unknownSuite(String name) {
        return new IllegalArgumentException("cipher-list: " + name + " (unknown or unsupported cipher suite; expected"
                + " IANA names like TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 or OpenSSL names like"
                + " ECDHE-RSA-AES128-GCM-SHA256)");
    }

    /** The suites the JDK's TLS implementation supports, by IANA name. */
    private static Set<String> supportedSuites() {
        try {
            Set<String> suites = new LinkedHashSet<>();
            for (String s : SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites()) {
                suites.add(s.toUpperCase(Locale.ROOT));
            }
            return suites;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS implementation: " + e, e);
        }
    }
}
