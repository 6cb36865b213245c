package dev.turnlab.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** The TLS listener's context (RFC 8656 §3.1): from PEM files, or a self-signed certificate for labs. */
final class TlsSupport {

    private TlsSupport() {
    }

    static SslContext serverContext(Path certificate, Path privateKey) throws SSLException {
        if (certificate != null) {
            // Netty reports a missing or unreadable file as one without valid certificates; say what is wrong.
            readable("tlsCertificate", certificate);
            readable("tlsPrivateKey", privateKey);
            return SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile()).build();
        }
        try {
            KeyPair keys = keyPair();
            return SslContextBuilder.forServer(keys.getPrivate(), selfSigned(keys)).build();
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate a self-signed TLS certificate: " + e, e);
        }
    }

    /** Throws {@link IllegalArgumentException} naming {@code file} unless it is a readable regular file. */
    static void readable(String what, Path file) {
        String problem = !Files.exists(file) ? "does not exist"
                : Files.isDirectory(file) ? "is a directory"
                : !Files.isReadable(file) ? "cannot be read" : null;
        if (problem != null) {
            throw new IllegalArgumentException(what + ": " + file + " (" + problem + ")");
        }
    }

    static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    /** A one-year certificate for CN=turnlab, signed with Bouncy Castle's builder. */
    static X509Certificate selfSigned(KeyPair keys) throws GeneralSecurityException, OperatorCreationException {
        X500Name name = new X500Name("CN=turnlab");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(365, ChronoUnit.DAYS)), name, keys.getPublic());
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }
}
