package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.server.support.TlsHandshake;
import dev.turnlab.testing.tools.CapturedLog;
import dev.turnlab.testing.tools.MutableClock;
import dev.turnlab.testing.tools.TestCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS certificate is reloaded from its files without a restart: new connections get the new one, existing
 * ones keep theirs and their allocations; a bad file keeps the old one; a renewal that replaces the files is
 * picked up by the poll.
 */
class TlsReloadTest {

    private static final TestCertificate FIRST = TestCertificate.generate("first.turnlab.test", Duration.ofDays(30));
    private static final TestCertificate SECOND = TestCertificate.generate("second.turnlab.test", Duration.ofDays(90));

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private TurnServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private TurnServer start(Path certificate, Path key, Duration reloadInterval) {
        server = TestServers.loopback(clock).tlsPort(0).tlsCertificate(certificate, key)
                .tlsReloadInterval(reloadInterval).build().start();
        return server;
    }

    @Test
    void aReloadServesTheNewCertificateToNewConnectionsAndKeepsExistingOnes() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        FIRST.write(cert, key);
        start(cert, key, Duration.ZERO);
        try (BlockingClient before = BlockingClient.tls(server.tlsAddress(), "alice", "alice-secret")) {
            assertThat(before.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(before.peerCertificate()).isEqualTo(FIRST.certificate());

            SECOND.write(cert, key);
            TlsReload reload = server.reloadTlsCertificate();

            assertThat(reload.outcome()).isEqualTo(TlsReload.Outcome.RELOADED);
            assertThat(reload.current().generation()).isEqualTo(2);
            assertThat(TlsHandshake.certificate(server.tlsAddress())).isEqualTo(SECOND.certificate());
            StunMessage refreshed = before.refresh(600);
            assertThat(refreshed.stunClass()).as("the allocation of the connection made before").isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(before.peerCertificate()).isEqualTo(FIRST.certificate());
            assertThat(server.allocations()).hasSize(1);
        }
        assertThat(server.metrics().tls()).isEqualTo(new dev.turnlab.server.admin.MetricsSnapshot.Tls(
                "CN=second.turnlab.test", SECOND.certificate().getNotAfter().toInstant(), 1, 0));
        assertThat(log.lines()).anyMatch(l -> l.startsWith("TLS certificate reloaded from " + cert)
                && l.contains("CN=second.turnlab.test expires " + SECOND.certificate().getNotAfter().toInstant()));
    }

    @Test
    void aReloadOfTheSameFilesChangesNothing() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        FIRST.write(cert, key);
        start(cert, key, Duration.ZERO);

        assertThat(server.reloadTlsCertificate().outcome()).isEqualTo(TlsReload.Outcome.UNCHANGED);
        assertThat(server.metrics().tls().reloads()).isZero();
        assertThat(server.tlsCredentials().current().generation()).isEqualTo(1);
    }

    @Test
    void aBadFileKeepsTheOldCertificateAndCountsAFailure() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        FIRST.write(cert, key);
        start(cert, key, Duration.ZERO);
        String half = SECOND.certificatePem();

        Files.writeString(cert, half.substring(0, half.length() / 2), StandardCharsets.US_ASCII); // half-written
        TlsReload truncated = server.reloadTlsCertificate();
        Files.writeString(cert, SECOND.certificatePem(), StandardCharsets.US_ASCII); // the key is still FIRST's
        TlsReload mismatched = server.reloadTlsCertificate();
        Files.writeString(key, "not a key\n", StandardCharsets.US_ASCII);
        TlsReload garbage = server.reloadTlsCertificate();

        assertThat(List.of(truncated, mismatched, garbage)).extracting(TlsReload::outcome)
                .containsOnly(TlsReload.Outcome.FAILED);
        assertThat(truncated.detail()).startsWith(cert + ": ");
        assertThat(mismatched.detail()).isEqualTo(key + ": the private key does not match the certificate in " + cert);
        assertThat(garbage.detail()).startsWith(key + ": no PEM private key");
        assertThat(TlsHandshake.certificate(server.tlsAddress())).isEqualTo(FIRST.certificate());
        assertThat(server.metrics().tls().reloadFailures()).isEqualTo(3);
        assertThat(server.metrics().tls().reloads()).isZero();
        List<String> warnings = log.linesAtLeast(Level.WARN);
        assertThat(warnings).hasSize(3);
        assertThat(warnings.get(1)).isEqualTo("TLS certificate reload failed, keeping CN=first.turnlab.test (expires "
                + FIRST.certificate().getNotAfter().toInstant() + "): " + mismatched.detail());
    }

    @Test
    void thePollPicksUpARenewalThatReplacesTheSymlinks() throws Exception {
        // certbot's layout: live/ holds symlinks into archive/, and a renewal points them at new files.
        Path archive = Files.createDirectory(dir.resolve("archive"));
        Path live = Files.createDirectory(dir.resolve("live"));
        FIRST.write(archive.resolve("cert1.pem"), archive.resolve("privkey1.pem"));
        Path cert = Files.createSymbolicLink(live.resolve("fullchain.pem"), archive.resolve("cert1.pem"));
        Path key = Files.createSymbolicLink(live.resolve("privkey.pem"), archive.resolve("privkey1.pem"));
        start(cert, key, Duration.ofMillis(50));
        List<TlsKeyMaterial> told = new ArrayList<>();
        server.tlsCredentials().onReload(m -> {
            synchronized (told) {
                told.add(m);
            }
        });
        assertThat(TlsHandshake.certificate(server.tlsAddress())).isEqualTo(FIRST.certificate());

        SECOND.write(archive.resolve("cert2.pem"), archive.resolve("privkey2.pem"));
        replaceSymlink(cert, archive.resolve("cert2.pem"));
        replaceSymlink(key, archive.resolve("privkey2.pem"));

        await(() -> server.tlsCredentials().reloads() == 1);
        assertThat(TlsHandshake.certificate(server.tlsAddress())).isEqualTo(SECOND.certificate());
        synchronized (told) {
            assertThat(told).extracting(TlsKeyMaterial::generation).containsExactly(2L);
            assertThat(told.get(0).certificate()).isEqualTo(SECOND.certificate());
        }
        assertThat(server.tlsCredentials().reloadFailures()).isZero();
    }

    @Test
    void aKeyThatDoesNotMatchAtTheStartIsOneLine() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        FIRST.write(cert, key);
        Files.writeString(key, SECOND.privateKeyPem(), StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> start(cert, key, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tlsPrivateKey: " + key + " (the private key does not match the certificate in " + cert + ")");
    }

    @Test
    void aSelfSignedCertificateHasNothingToReload() {
        server = TestServers.loopback(clock).tlsPort(0).build().start();

        TlsReload r = server.reloadTlsCertificate();

        assertThat(r.outcome()).isEqualTo(TlsReload.Outcome.SELF_SIGNED);
        assertThat(r.toString()).startsWith("self signed: nothing to reload");
        assertThat(server.metrics().tls().subject()).isEqualTo("CN=turnlab");
    }

    @Test
    void withoutATlsListenerThereIsNothingToReload() {
        server = TestServers.loopback(clock).build().start();

        assertThat(server.reloadTlsCertificate().outcome()).isEqualTo(TlsReload.Outcome.NO_TLS);
        assertThat(server.tlsCredentials()).isNull();
        assertThat(server.metrics().tls().expiry()).isNull();
    }

    /** Points {@code link} at {@code target} in one rename, as {@code ln -sfn} through a temporary link does. */
    private static void replaceSymlink(Path link, Path target) throws Exception {
        Path next = link.resolveSibling(link.getFileName() + ".next");
        Files.createSymbolicLink(next, target);
        Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("within 30 s").isTrue();
            Thread.sleep(20);
        }
    }
}
