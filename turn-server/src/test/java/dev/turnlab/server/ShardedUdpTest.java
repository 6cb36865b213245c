package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.relayed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnlab.codec.StunClass;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import dev.turnlab.testing.tools.Peer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several UDP sockets on one port (SO_REUSEPORT under io_uring and epoll; one socket under NIO): every client
 * keeps its socket and loop, on each transport this platform has.
 */
class ShardedUdpTest {

    @ParameterizedTest
    @EnumSource(NettyTransport.class)
    void manyClientsRelayThroughSharedPortSockets(NettyTransport transport) throws Exception {
        assumeTrue(transport.isAvailable(), transport + " is not available here");
        try (TurnServer server = TestServers.loopback(MutableClock.now()).ioThreads(2).udpSockets(2)
                .ioTransport(transport.choice()).build().start();
                Peer peer = new Peer()) {
            List<BlockingClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                    clients.add(client);
                    InetSocketAddress relay = relayed(client.allocate());
                    assertThat(client.channelBind(0x4000 + i, peer.address()).stunClass())
                            .isEqualTo(StunClass.SUCCESS_RESPONSE);
                    client.sendChannelData(0x4000 + i, new byte[] {(byte) i});
                    Peer.Received received = peer.receive(2000);
                    assertThat(received.data()).containsExactly(i);
                    assertThat(received.sender()).isEqualTo(relay);
                    peer.send(relay, new byte[] {(byte) (100 + i)});
                    byte[] frame = client.receiveRaw(2000);
                    assertThat(frame).endsWith((byte) (100 + i));
                }
                assertThat(server.ioTransport()).isEqualTo(transport.choice());
                assertThat(server.allocations()).hasSize(8);
                assertThat(server.udpAddresses()).hasSize(1);
            } finally {
                for (BlockingClient c : clients) {
                    c.close();
                }
            }
        }
    }
}
