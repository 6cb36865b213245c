package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.relayed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import dev.turnlab.testing.tools.Peer;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * A TCP client that stops reading: relayed data toward it is dropped and counted once its connection's
 * outbound buffer passes the high water mark, instead of piling up in server memory; the connection and
 * its allocation live on.
 */
class StreamBackpressureTest {

    @Test
    void relayedDataToAClientThatStopsReadingIsDroppedAndCounted() throws Exception {
        try (TurnServer server = TestServers.loopback(MutableClock.now()).build().start();
                BlockingClient client = BlockingClient.tcp(server.tcpAddress(), "alice", "alice-secret");
                Peer peer = new Peer()) {
            InetSocketAddress relay = relayed(client.allocate());
            assertThat(client.createPermission(peer.address()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            // Large datagrams, paced, so that the relay socket's receive buffer does not overflow first.
            byte[] payload = new byte[60_000];

            // The client reads nothing from here on. Bounded: at most 3000 datagrams (180 MB) or 30 s.
            long deadline = System.nanoTime() + 30_000_000_000L;
            for (int i = 0; i < 3000 && server.counters().droppedToClientCount() == 0
                    && System.nanoTime() < deadline; i++) {
                peer.send(relay, payload);
                Thread.sleep(1);
            }

            assertThat(server.counters().droppedToClientCount()).isPositive();
            assertThat(server.allocations()).hasSize(1);
            assertThat(server.metrics().dropped().get("client_not_reading")).isPositive();
        }
    }

    @Test
    void streamConnectionsHaveBoundedWriteBuffers() {
        assertThat(ServerBootstraps.STREAM_WATER_MARK.high()).isEqualTo(512 * 1024);
        assertThat(ServerBootstraps.STREAM_WATER_MARK.low()).isLessThan(ServerBootstraps.STREAM_WATER_MARK.high());
    }
}
