package dev.turnlab.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EchoPeerTest {

    @Test
    void everyDatagramGoesBackToItsSenderUnchanged() throws Exception {
        NettyTransport io = NettyTransport.best();
        EventLoopGroup group = io.group(1);
        try (EchoPeer peer = EchoPeer.start(group, io, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        4096);
                DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            client.setSoTimeout(5_000);
            assertThat(peer.address().getPort()).isPositive();
            for (int i = 0; i < 3; i++) {
                byte[] sent = new byte[100 + 1900 * i]; // past Netty's default 2048-byte receive buffer
                Arrays.fill(sent, (byte) (i + 1));
                client.send(new DatagramPacket(sent, sent.length, peer.address()));
                DatagramPacket echo = new DatagramPacket(new byte[8192], 8192);
                client.receive(echo);
                assertThat(Arrays.copyOf(echo.getData(), echo.getLength())).isEqualTo(sent);
                assertThat(echo.getSocketAddress()).isEqualTo(peer.address());
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
