package dev.turnlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.dtls.DtlsEngines;
import dev.turnlab.server.TlsReload;
import dev.turnlab.server.TurnServer;
import dev.turnlab.testing.LoopbackServers;
import dev.turnlab.testing.tools.TestCertificate;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DTLS listener serves the TLS listener's certificate and follows its reloads: a new DTLS association gets the
 * renewed certificate, one made before keeps its own and its allocation.
 */
class DtlsReloadTest {

    @TempDir
    Path dir;

    @Test
    void aReloadedCertificateServesNewDtlsAssociationsWhileEstablishedOnesCarryOn() throws Exception {
        TestCertificate first = TestCertificate.generate("first.turnlab.test", Duration.ofDays(30));
        TestCertificate second = TestCertificate.generate("second.turnlab.test", Duration.ofDays(90));
        Path cert = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        first.write(cert, key);
        try (TurnServer server = LoopbackServers.standard().tlsPort(0).dtlsPort(0).tlsCertificate(cert, key)
                        .tlsReloadInterval(Duration.ZERO).build().start();
                TurnClient before = client(server, first)) {
            assertThat(before.allocate().join().isSuccess()).isTrue();

            second.write(cert, key);
            assertThat(server.reloadTlsCertificate().outcome()).isEqualTo(TlsReload.Outcome.RELOADED);

            try (TurnClient trustingFirst = client(server, first); TurnClient trustingSecond = client(server, second)) {
                Throwable refused = trustingFirst.binding().handle((r, e) -> e).join();
                assertThat(refused).hasCauseInstanceOf(NoAnswerException.class);
                assertThat(((NoAnswerException) refused.getCause()).reason()).isEqualTo(NoAnswerException.Reason.TLS_FAILED);
                assertThat(trustingSecond.allocate().join().isSuccess()).isTrue();
            }
            assertThat(before.refresh(Duration.ofMinutes(5)).join().isSuccess()).as("refresh after the reload").isTrue();
        }
    }

    /** A DTLS client of {@code server} that trusts {@code only} that certificate. */
    private static TurnClient client(TurnServer server, TestCertificate only) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("only", only.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        return TurnClient.builder().server(server.dtlsAddress()).transport(Transport.DTLS)
                .credentials(LoopbackServers.USER, LoopbackServers.PASSWORD).connectTimeout(Duration.ofSeconds(5))
                .dtlsEngines(DtlsEngines.client(DtlsEngines.clientContext(trust), null)).build();
    }
}
