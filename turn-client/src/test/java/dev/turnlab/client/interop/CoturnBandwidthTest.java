package dev.turnlab.client.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.Allocation;
import dev.turnlab.client.TurnClient;
import dev.turnlab.testing.tools.Coturn;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * coturn's {@code --max-bps} as our client meets it, the behaviour our server's {@code --max-bps} copies: at
 * 2000 bytes per second, 50 datagrams of 500 bytes sent at once over a channel reach the peer only as far as
 * the limit allows, the rest never arrive. Skipped, with the reason, without coturn.
 */
class CoturnBandwidthTest {

    private static final String USER = "coturn-user";
    private static final String PASSWORD = "coturn-secret";

    @Test
    void datagramsBeyondCoturnsMaxBpsDoNotArrive() throws Exception {
        Assumptions.assumeTrue(Coturn.available(), Coturn.MISSING);
        try (Coturn coturn = Coturn.builder().user(USER, PASSWORD).arguments("--max-bps", "2000").start();
                DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                TurnClient client = TurnClient.builder().server(coturn.address()).credentials(USER, PASSWORD).build()) {
            Allocation allocation = client.allocate().join().value();
            assertThat(allocation).isNotNull();
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertThat(client.channelBind(peerAddress).join().value()).isEqualTo(0x4000);

            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                client.send(peerAddress, new byte[500]).join();
            }
            int arrived = 0;
            peer.setSoTimeout(1000);
            byte[] buffer = new byte[2048];
            try {
                for (int i = 0; i < 50; i++) {
                    peer.receive(new DatagramPacket(buffer, buffer.length));
                    arrived++;
                }
            } catch (SocketTimeoutException quiet) {
                // No more within a second: the rest was dropped.
            }
            double elapsed = (System.nanoTime() - start) / 1e9;

            assertThat(arrived).as("datagrams that reached the peer of 50").isPositive().isLessThan(50);
            // coturn counts whole datagrams in one-second windows: at most a window's worth per second begun, and one.
            assertThat(arrived * 500.0).isLessThanOrEqualTo(2000 * (Math.ceil(elapsed) + 1));
            assertThat(client.refresh(Duration.ZERO).join().isSuccess()).isTrue();
        }
    }
}
