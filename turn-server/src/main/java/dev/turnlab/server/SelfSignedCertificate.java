package dev.turnlab.server;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate for a lab's TLS listener when no certificate file is given. The only user of Bouncy
 * Castle, which the library declares optional: {@link TlsSupport} loads this class only after it has found Bouncy
 * Castle (verifying it would fail without), and reports its absence in one line.
 */
final class SelfSignedCertificate {

    private SelfSignedCertificate() {
    }

    /** A fresh EC key and a one-year certificate for CN=turnlab, as generation 1. */
    static TlsKeyMaterial generate() {
        try {
            KeyPair keys = keyPair();
            return new TlsKeyMaterial(List.of(certificate(keys)), keys.getPrivate(), 1);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate a self-signed TLS certificate: " + e, e);
        }
    }

    static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    /** A one-year certificate for CN=turnlab, signed with Bouncy Castle's builder. */
    static X509Certificate certificate(KeyPair keys) throws GeneralSecurityException, OperatorCreationException {
        X500Name name = new X500Name("CN=turnlab");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(365, ChronoUnit.DAYS)), name, keys.getPublic());
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }
}
