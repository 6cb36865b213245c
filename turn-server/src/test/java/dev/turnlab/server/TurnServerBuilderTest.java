package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.codec.attribute.ErrorCode;
import org.junit.jupiter.api.Test;

/** Configuration is validated in build(), with messages that name the setting; nothing binds. */
class TurnServerBuilderTest {

    @Test
    void relayPortsMustBeOrdered() {
        assertThatThrownBy(() -> TurnServer.builder().relayPorts(30000, 20000))
                .hasMessage("relayPorts: 30000-20000 (expected: min <= max)");
        assertThatThrownBy(() -> PortRange.parse("24000"))
                .hasMessage("relayPorts: 24000 (expected: MIN-MAX, e.g. 24000-29999)");
    }

    @Test
    void portsAreChecked() {
        assertThatThrownBy(() -> TurnServer.builder().port(70000)).hasMessage("port: 70000 (expected: 0-65535)");
        assertThatThrownBy(() -> TurnServer.builder().user("u", "p").port(25000).build())
                .hasMessage("relayPorts: 24000-29999 (expected: not containing the listening ports)");
    }

    @Test
    void udpBufferSizesAreChecked() {
        assertThatThrownBy(() -> TurnServer.builder().udpReceiveBuffer(-1))
                .hasMessage("udpReceiveBuffer: -1 (expected: 0-1073741824 bytes, 0 for the kernel's default)");
        assertThatThrownBy(() -> TurnServer.builder().udpSendBuffer(Integer.MAX_VALUE))
                .hasMessage("udpSendBuffer: 2147483647 (expected: 0-1073741824 bytes, 0 for the kernel's default)");
        TurnServerConfig config = TurnServer.builder().user("u", "p").build().config();
        assertThat(config.sockets().udpReceiveBuffer()).isEqualTo(SocketConfig.DEFAULT_UDP_BUFFER);
        assertThat(TurnServer.builder().user("u", "p").udpSendBuffer(0).build().config().sockets().udpSendBuffer()).isZero();
    }

    @Test
    void someCredentialSourceIsRequired() {
        assertThatThrownBy(() -> TurnServer.builder().build())
                .hasMessage("users: none (expected: a user, a users file, an auth secret or a Redis)");
    }

    @Test
    void someListenerIsRequired() {
        assertThatThrownBy(() -> TurnServer.builder().user("u", "p").udp(false).tcp(false).build())
                .hasMessage("listeners: none (expected: UDP, TCP, TLS or DTLS enabled)");
    }

    @Test
    void oneRelayAddressPerFamily() {
        assertThatThrownBy(() -> TurnServer.builder().user("u", "p").relayAddress("192.0.2.1").relayAddress("192.0.2.2").build())
                .hasMessage("relayAddress: [/192.0.2.1, /192.0.2.2] (expected: at most one per address family)");
    }

    @Test
    void defaultsAreTheExpresswayPortsAndRfcBehaviour() {
        TurnServerConfig c = TurnServer.builder().user("u", "p").build().config();
        assertThat(c.listeners().port()).isEqualTo(3478);
        assertThat(c.relay().ports()).isEqualTo(new PortRange(24000, 29999));
        assertThat(c.auth().realm()).isEqualTo("turnlab");
        assertThat(c.auth().integrityFailure()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(c.listeners().udp() && c.listeners().tcp()).isTrue();
        assertThat(c.listeners().tls()).isFalse();
        assertThat(c.relay().allowLoopbackPeers()).isFalse();
    }

    @Test
    void expresswayProfileWithOverrides() {
        TurnServerConfig c = TurnServer.builder().profile(Profile.EXPRESSWAY).user("expturncreds", "p").build().config();
        assertThat(c.auth().realm()).isEqualTo("TANDBERG");
        assertThat(c.auth().integrityFailure()).isEqualTo(ErrorCode.INTEGRITY_CHECK_FAILURE);
        assertThat(c.auth().software()).startsWith("TANDBERG/");
        TurnServerConfig overridden = TurnServer.builder().profile(Profile.EXPRESSWAY).realm("lab")
                .integrityFailure(ErrorCode.UNAUTHORIZED).user("u", "p").build().config();
        assertThat(overridden.auth().realm()).isEqualTo("lab");
        assertThat(overridden.auth().integrityFailure()).isEqualTo(ErrorCode.UNAUTHORIZED);
    }

    @Test
    void configNeverPrintsPasswords() {
        assertThat(TurnServer.builder().user("alice", "hunter2").authSecret("s3cr3t").build().config().toString())
                .contains("alice").doesNotContain("hunter2").doesNotContain("s3cr3t");
    }
}
