package dev.turnlab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Asking for a TCP relay (RFC 6062) is checked before anything is sent. */
class RelayTransportTest {

    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 3478);

    @Test
    void aTcpRelayOverUdpIsRefusedWhenTheClientIsBuilt() {
        TurnClient.Builder b = TurnClient.builder().server(SERVER).relayTransport(RelayTransport.TCP);

        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("relayTransport: TCP over UDP")
                .hasMessageContaining("expected: transport TCP or TLS");
    }

    @Test
    void overTcpOrTlsItIsTheRelayAllocateAsksFor() {
        for (Transport t : new Transport[] {Transport.TCP, Transport.TLS}) {
            try (TurnClient client = TurnClient.builder().server(SERVER).transport(t)
                    .relayTransport(RelayTransport.TCP).build()) {
                assertThat(client.relayTransport()).isEqualTo(RelayTransport.TCP);
            }
        }
        try (TurnClient client = TurnClient.builder().server(SERVER).build()) {
            assertThat(client.relayTransport()).isEqualTo(RelayTransport.UDP);
        }
    }

    @Test
    void requestedTransportIsTheIanaProtocolNumber() {
        assertThat(RelayTransport.UDP.attribute().protocol()).isEqualTo(17);
        assertThat(RelayTransport.TCP.attribute().protocol()).isEqualTo(6);
        assertThat(RelayTransport.parse("Tcp")).isEqualTo(RelayTransport.TCP);
        assertThatThrownBy(() -> RelayTransport.parse("sctp")).hasMessage("relay transport: sctp (expected: udp or tcp)");
    }
}
