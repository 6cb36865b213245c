package dev.turnlab.server;

import dev.turnlab.server.admin.MetricsSnapshot;
import dev.turnlab.server.admin.TlsCertificates;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS certificate and key a server serves now, reloaded from their PEM files without a restart: on
 * {@link #reload()} (SIGHUP, {@code POST /tls/reload}) and when {@link #poll()}, run every few seconds, finds
 * the files changed. A new certificate applies to connections that start after it; existing ones keep the
 * one they were made with. A file that cannot be read or parsed, or a key that does not match its certificate,
 * leaves the old ones in place: one warning line names the file and the reason.
 *
 * <p>A second consumer of the same certificate (a DTLS listener, say) reads {@link #current()} when it starts,
 * builds its own context from it (for example {@link TlsKeyMaterial#newSslContext(String) newSslContext("DTLS")})
 * and registers {@link #onReload} to build a new one after each successful reload; {@link
 * TlsKeyMaterial#generation()} tells whether what it holds is still current. Thread-safe: reloads are serialized,
 * readers see the current material without locking.
 */
public final class TlsCredentials {

    private static final Logger LOG = LoggerFactory.getLogger(TlsCredentials.class);

    /** What the listener serves now: the material and the Netty context made from it. */
    private record Served(TlsKeyMaterial material, SslContext context) {
    }

    /** When and where a file was last changed, as far as its attributes tell (a renewal replaces a symlink). */
    private record FileStamp(Path real, FileTime modified, long size) {
    }

    /** A file that cannot be served, and why. */
    private static final class BadFile extends Exception {
        private final Path file;

        BadFile(Path file, String reason) {
            super(reason, null, false, false);
            this.file = file;
        }
    }

    private final Path certificateFile;
    private final Path keyFile;
    private final TlsSettings settings;
    private final List<Consumer<TlsKeyMaterial>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile Served served;
    // The files' stamps when last loaded and at the previous poll; guarded by this.
    private List<FileStamp> loadedStamps;
    private List<FileStamp> polledStamps;

    private TlsCredentials(Path certificateFile, Path keyFile, TlsSettings settings) {
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.settings = settings;
    }

    /**
     * The certificate chain and key in PEM files (the key in PKCS #8, or another PEM form when Bouncy Castle is
     * present), served with {@code settings}. Throws {@link IllegalArgumentException} naming the file that cannot be
     * served.
     */
    public static TlsCredentials fromFiles(Path certificate, Path privateKey, TlsSettings settings) {
        TlsSupport.readable("tlsCertificate", certificate);
        TlsSupport.readable("tlsPrivateKey", privateKey);
        TlsCredentials c = new TlsCredentials(certificate, privateKey, settings);
        synchronized (c) {
            c.loadedStamps = c.stamps();
            c.polledStamps = c.loadedStamps;
            try {
                c.served = c.load(1);
            } catch (BadFile e) {
                throw new IllegalArgumentException((e.file.equals(privateKey) ? "tlsPrivateKey: " : "tlsCertificate: ")
                        + e.file + " (" + e.getMessage() + ")");
            }
        }
        return c;
    }

    /** A generated certificate and key (nothing to reload), served with {@code settings}. */
    static TlsCredentials generated(TlsKeyMaterial material, TlsSettings settings) {
        TlsCredentials c = new TlsCredentials(null, null, settings);
        try {
            c.served = new Served(material, c.context(material));
        } catch (SSLException e) {
            throw new IllegalStateException("cannot serve the self-signed certificate: " + e.getMessage(), e);
        }
        return c;
    }

    /** The certificate and key served to new connections now. */
    public TlsKeyMaterial current() {
        return served.material();
    }

    /** The Netty context for a new TLS connection. */
    SslContext sslContext() {
        return served.context();
    }

    /** Whether the certificate comes from files, so that a reload can change it (else it was generated). */
    public boolean fromFiles() {
        return certificateFile != null;
    }

    /** The certificate file, or null for a generated certificate. */
    public Path certificateFile() {
        return certificateFile;
    }

    /**
     * Calls {@code listener} with the new material after each successful reload, on the reloading thread, after
     * new TLS connections have started to get it. A listener that throws is logged and does not stop the others.
     */
    public void onReload(Consumer<TlsKeyMaterial> listener) {
        listeners.add(listener);
    }

    /** Successful reloads that changed the certificate or key. */
    public long reloads() {
        return reloads.get();
    }

    /** Reloads that kept the old certificate because a file was bad. */
    public long reloadFailures() {
        return failures.get();
    }

    /** Reads both files now and serves what they hold to new connections, unless a file is bad. */
    public synchronized TlsReload reload() {
        if (!fromFiles()) {
            return new TlsReload(TlsReload.Outcome.SELF_SIGNED,
                    "nothing to reload: the certificate was generated at the start (give --cert and --pkey)", current());
        }
        loadedStamps = stamps();
        polledStamps = loadedStamps;
        return reloadNow();
    }

    /**
     * Reloads if the files changed since they were last loaded and have stayed as they are since the previous
     * poll: a renewal that writes the files in place, or replaces one symlink and then the other, is read once it
     * is whole, not half-way.
     */
    synchronized void poll() {
        if (!fromFiles()) {
            return;
        }
        List<FileStamp> now = stamps();
        boolean settled = now.equals(polledStamps);
        polledStamps = now;
        if (now.equals(loadedStamps) || !settled) {
            return;
        }
        loadedStamps = now;
        reloadNow();
    }

    private TlsReload reloadNow() {
        TlsKeyMaterial old = current();
        Served next;
        try {
            next = load(old.generation() + 1);
        } catch (BadFile e) {
            failures.incrementAndGet();
            LOG.warn("TLS certificate reload failed, keeping {} (expires {}): {}: {}", old.subject(), old.expiry(),
                    e.file, e.getMessage());
            return new TlsReload(TlsReload.Outcome.FAILED, e.file + ": " + e.getMessage(), old);
        }
        if (next.material().chain().equals(old.chain()) && next.material().privateKey().equals(old.privateKey())) {
            LOG.info("TLS certificate unchanged: {} expires {}", old.subject(), old.expiry());
            return new TlsReload(TlsReload.Outcome.UNCHANGED, old.subject() + ", expires " + old.expiry(), old);
        }
        served = next;
        reloads.incrementAndGet();
        TlsKeyMaterial m = next.material();
        LOG.info("TLS certificate reloaded from {}: {} expires {}", certificateFile, m.subject(), m.expiry());
        for (Consumer<TlsKeyMaterial> l : listeners) {
            try {
                l.accept(m);
            } catch (RuntimeException e) {
                LOG.warn("TLS certificate reload listener {} failed: {}", l, e.toString());
            }
        }
        return new TlsReload(TlsReload.Outcome.RELOADED, m.subject() + ", expires " + m.expiry(), m);
    }

    /** Reads, parses and checks both files, and makes the context that serves them. */
    private Served load(long generation) throws BadFile {
        List<X509Certificate> chain;
        try {
            chain = List.of(NettyPem.certificates(new ByteArrayInputStream(read(certificateFile))));
        } catch (GeneralSecurityException e) {
            throw new BadFile(certificateFile, "no PEM certificate: " + e.getMessage());
        }
        PrivateKey key;
        try {
            key = NettyPem.privateKey(new ByteArrayInputStream(read(keyFile)));
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new BadFile(keyFile, "no PEM private key: " + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw new BadFile(certificateFile, "no certificate in it");
        }
        key = jdkKey(key, chain.get(0));
        if (!matches(key, chain.get(0))) {
            throw new BadFile(keyFile, "the private key does not match the certificate in " + certificateFile);
        }
        TlsKeyMaterial material = new TlsKeyMaterial(chain, key, generation);
        try {
            return new Served(material, context(material));
        } catch (SSLException | IllegalArgumentException e) {
            throw new BadFile(certificateFile, "cannot be served: " + e.getMessage());
        }
    }

    private SslContext context(TlsKeyMaterial m) throws SSLException {
        return SslContextBuilder.forServer(m.privateKey(), m.chain()).protocols(settings.protocols())
                .ciphers(settings.enabledSuites()).build();
    }

    private static byte[] read(Path file) throws BadFile {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadFile(file, "does not exist");
        } catch (IOException e) {
            throw new BadFile(file, "cannot be read: " + e.getMessage());
        }
    }

    /**
     * {@code key} as the JDK's own provider holds it: Netty reads keys with Bouncy Castle when it is present, and
     * the JDK's providers refuse those ("Not an EC key: ECDSA") unless Bouncy Castle is registered as a provider.
     */
    static PrivateKey jdkKey(PrivateKey key, X509Certificate certificate) {
        try {
            return KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            return key; // a key of another type than the certificate's: matches() says so
        }
    }

    /** Whether {@code key} is the private half of {@code certificate}'s public key: a signature it makes verifies. */
    static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (certificate.getPublicKey().getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            return true; // a key type without a signature known here (RSASSA-PSS): the handshake is the check
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The stamps of both files; null for one that cannot be looked at now (a symlink being replaced). */
    private List<FileStamp> stamps() {
        return java.util.Arrays.asList(stamp(certificateFile), stamp(keyFile));
    }

    private static FileStamp stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(file.toRealPath(), a.lastModifiedTime(), a.size());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Netty's PEM readers, which its {@link SslContext} offers to subclasses only: the same parsing as the files
     * given at the start always had, including the key forms Bouncy Castle reads when it is present.
     */
    private abstract static class NettyPem extends SslContext {

        static X509Certificate[] certificates(java.io.InputStream in) throws GeneralSecurityException {
            return toX509Certificates(in);
        }

        static PrivateKey privateKey(java.io.InputStream in) throws GeneralSecurityException, IOException {
            return toPrivateKey(in, null);
        }
    }

    /** This certificate as the admin listener shows and reloads it. */
    TlsCertificates certificates() {
        return new TlsCertificates() {
            @Override
            public MetricsSnapshot.Tls report() {
                TlsKeyMaterial m = current();
                return new MetricsSnapshot.Tls(m.subject(), m.expiry(), reloads(), reloadFailures());
            }

            @Override
            public TlsReload reload() {
                return TlsCredentials.this.reload();
            }
        };
    }
}
