package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** coturn's cipher-list in IANA and OpenSSL names, and the TLS settings' checks. */
class TlsSettingsTest {

    @Test
    void openSslNamesBecomeIanaNames() {
        assertThat(TlsSettings.parseCipherList("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384"))
                .containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
    }

    @Test
    void ianaNamesAndCommasAreAccepted() {
        assertThat(TlsSettings.parseCipherList("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ECDHE-ECDSA-CHACHA20-POLY1305,"
                + "TLS_AES_128_GCM_SHA256")).containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256");
    }

    @Test
    void defaultMeansTheDefaults() {
        assertThat(TlsSettings.parseCipherList("DEFAULT")).isEmpty();
        assertThat(TlsSettings.DEFAULTS.enabledSuites()).isNull();
    }

    @Test
    void anUnknownNameIsOneLine() {
        assertThatThrownBy(() -> TlsSettings.parseCipherList("ECDHE-RSA-AES128-GCM-SHA256:HIGH:!aNULL"))
                .hasMessage("cipher-list: HIGH (unknown or unsupported cipher suite; expected IANA names like"
                        + " TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 or OpenSSL names like ECDHE-RSA-AES128-GCM-SHA256)");
        assertThatThrownBy(() -> TlsSettings.parseCipherList("TLS_RSA_WITH_NOTHING")).hasMessageStartingWith(
                "cipher-list: TLS_RSA_WITH_NOTHING (unknown");
        assertThatThrownBy(() -> TlsSettings.parseCipherList(" : ")).hasMessageStartingWith("cipher-list: empty");
    }

    @Test
    void tls13SuitesStayUnlessTheListNamesOne() {
        TlsSettings tls12Only = TlsSettings.DEFAULTS.withCipherSuites(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
        TlsSettings named = TlsSettings.DEFAULTS.withCipherSuites(List.of("TLS_AES_256_GCM_SHA384"));

        assertThat(tls12Only.enabledSuites()).startsWith("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                .contains("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384");
        assertThat(named.enabledSuites()).containsExactly("TLS_AES_256_GCM_SHA384");
    }

    @Test
    void onlyTls12AndTls13() {
        assertThat(TlsSettings.DEFAULTS.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThatThrownBy(() -> TlsSettings.DEFAULTS.withProtocols(List.of("TLSv1.1", "TLSv1.2")))
                .hasMessage("tlsProtocols: TLSv1.1,TLSv1.2 (expected: TLSv1.2, TLSv1.3 or both)");
        assertThatThrownBy(() -> TlsSettings.DEFAULTS.withProtocols(List.of()))
                .hasMessageStartingWith("tlsProtocols:  (expected");
        assertThatThrownBy(() -> TlsSettings.DEFAULTS.withReloadInterval(Duration.ofSeconds(-1)))
                .hasMessageStartingWith("tlsReloadInterval: PT-1S");
    }

    @Test
    void theBuilderCarriesTheSettingsIntoTheListenerConfig() {
        TurnServer server = TurnServer.builder().user("alice", "alice-secret").tlsPort(0).tlsProtocols(List.of("TLSv1.3"))
                .tlsCipherSuites(List.of("TLS_AES_128_GCM_SHA256")).tlsReloadInterval(Duration.ofSeconds(30)).build();

        assertThat(server.config().listeners().tlsSettings()).isEqualTo(new TlsSettings(List.of("TLSv1.3"),
                List.of("TLS_AES_128_GCM_SHA256"), Duration.ofSeconds(30)));
    }
}
