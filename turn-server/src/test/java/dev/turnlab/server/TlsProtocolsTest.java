package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnlab.server.support.TlsHandshake;
import dev.turnlab.testing.tools.MutableClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The TLS listener's versions and suites: TLS 1.2 and 1.3 by default and never 1.1 (RFC 8996); TLS 1.3 only
 * when asked; a cipher list admits its suites and no other TLS 1.2 suite.
 */
class TlsProtocolsTest {

    private static final String[] TLS12 = {"TLSv1.2"};
    private static final String LISTED = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    private static final String NOT_LISTED = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";

    private TurnServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private InetSocketAddress start(TurnServerBuilder b) {
        server = b.tlsPort(0).build().start();
        return server.tlsAddress();
    }

    private static TurnServerBuilder builder() {
        return TestServers.loopback(new MutableClock());
    }

    @Test
    void tls12AndTls13ByDefault() throws IOException {
        InetSocketAddress tls = start(builder());

        assertThat(TlsHandshake.with(tls, TLS12, null).getProtocol()).isEqualTo("TLSv1.2");
        assertThat(TlsHandshake.with(tls, new String[] {"TLSv1.3"}, null).getProtocol()).isEqualTo("TLSv1.3");
        assertThat(TlsHandshake.with(tls).getProtocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void tls13OnlyRefusesATls12Client() throws IOException {
        InetSocketAddress tls = start(builder().tlsProtocols(List.of("TLSv1.3")));

        assertThatThrownBy(() -> TlsHandshake.with(tls, TLS12, null)).isInstanceOf(SSLException.class);
        assertThat(TlsHandshake.with(tls).getProtocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void aCipherListAdmitsItsSuitesOnly() throws IOException {
        // The generated certificate has an EC key: both suites would do without the list.
        InetSocketAddress tls = start(builder().tlsCipherSuites(List.of(LISTED)));

        SSLSession listed = TlsHandshake.with(tls, TLS12, new String[] {LISTED});
        assertThat(listed.getCipherSuite()).isEqualTo(LISTED);
        assertThatThrownBy(() -> TlsHandshake.with(tls, TLS12, new String[] {NOT_LISTED}))
                .isInstanceOf(SSLException.class);
        // The list names no TLS 1.3 suite, so TLS 1.3 keeps its own.
        assertThat(TlsHandshake.with(tls).getCipherSuite()).isIn(TlsSettings.TLS13_SUITES);
    }

    @Test
    void withoutACipherListBothSuitesWork() throws IOException {
        InetSocketAddress tls = start(builder());

        assertThat(TlsHandshake.with(tls, TLS12, new String[] {NOT_LISTED}).getCipherSuite()).isEqualTo(NOT_LISTED);
    }

    /**
     * The JDK's client will not offer TLS 1.1 (java.security disables it), so OpenSSL's does, and the server's
     * protocol_version alert is what tells that the server refused it, not the client.
     */
    @Test
    void aTls11ClientIsRefusedByDefault() throws Exception {
        InetSocketAddress tls = start(builder());

        String tls11 = sClient(tls, "-tls1_1");
        String tls12 = sClient(tls, "-tls1_2");

        assertThat(tls12).as("the same client over TLS 1.2").contains("New, TLSv1.2, Cipher is ECDHE-ECDSA-");
        assertThat(tls11).contains("alert protocol version").contains("New, (NONE), Cipher is (NONE)");
    }

    /** OpenSSL's s_client output for one handshake with {@code version}, any suite at any security level. */
    private static String sClient(InetSocketAddress server, String version) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        Process p = new ProcessBuilder("/usr/bin/openssl", "s_client", "-connect",
                "127.0.0.1:" + server.getPort(), version, "-cipher", "DEFAULT:@SECLEVEL=0")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("openssl s_client did not finish in 30 s");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
