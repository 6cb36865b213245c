package dev.turnlab.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.Allocation;
import dev.turnlab.client.Transport;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.TurnResult;
import dev.turnlab.testing.tools.FreePorts;
import dev.turnlab.testing.tools.Peer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The extension used as a stranger would: allocate through the handed client, relay to a peer and back. */
class TurnServerExtensionTest {

    @RegisterExtension
    static TurnServerExtension turn = TurnServerExtension.builder().user("bob", "bob-secret").tls().build();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void relaysToAPeerAndBackOverEveryTransport(Transport transport) throws Exception {
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        TurnClient client = turn.client(transport);
        client.onData((from, data) -> received.add(data));
        try (Peer peer = new Peer()) {
            TurnResult<Allocation> allocation = client.allocate().get(10, TimeUnit.SECONDS);
            assertThat(allocation.isSuccess()).as("%s", allocation).isTrue();
            assertThat(client.channelBind(peer.address()).get(10, TimeUnit.SECONDS).isSuccess()).isTrue();

            client.send(peer.address(), "ping".getBytes(StandardCharsets.US_ASCII)).get(10, TimeUnit.SECONDS);
            Peer.Received atPeer = peer.echo(10_000);

            assertThat(atPeer).as("datagram at the peer").isNotNull();
            assertThat(atPeer.sender()).isEqualTo(allocation.value().relayedAddress());
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("ping".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void handsOutItsCredentialsAddressesAndAFreeRelayRange() {
        assertThat(turn.username()).isEqualTo("bob");
        assertThat(turn.password()).isEqualTo("bob-secret");
        assertThat(turn.realm()).isEqualTo("turnlab");
        assertThat(turn.udpAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(turn.tcpAddress().getPort()).isPositive();
        assertThat(turn.tlsAddress().getPort()).isPositive();
        assertThat(turn.relayPorts().min()).isGreaterThanOrEqualTo(FreePorts.LOWEST);
        assertThat(turn.relayPorts().max()).isLessThanOrEqualTo(FreePorts.HIGHEST);
        assertThat(turn.relayPorts().max() - turn.relayPorts().min() + 1).isEqualTo(64);
    }
}
