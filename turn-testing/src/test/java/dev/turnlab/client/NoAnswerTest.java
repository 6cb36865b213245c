package dev.turnlab.client;

import dev.turnlab.testing.LoopbackServers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.AlternateServer;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.server.TurnServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** How the client tells a closed port, a silent one and a failed TLS handshake apart; and a redirect. */
class NoAnswerTest {

    private static final Retransmission QUICK = Retransmission.udp(Duration.ofMillis(100), 3, 2);

    @Test
    void closedUdpPortFailsAtOnceAsPortClosed() throws Exception {
        InetSocketAddress closed = closedUdpPort();
        try (TurnClient client = TurnClient.builder().server(closed).retransmission(Retransmission.udp()).build()) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> client.binding().join()).isInstanceOf(CompletionException.class)
                    .satisfies(e -> assertThat(NoAnswerException.of(e).reason()).isEqualTo(NoAnswerException.Reason.PORT_CLOSED));
            // ICMP port unreachable arrives long before the 39.5 s schedule would run out.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void closedTcpPortIsARefusedConnection() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (TurnClient client = TurnClient.builder().server("127.0.0.1", port).transport(Transport.TCP).build()) {
            assertThatThrownBy(() -> client.binding().join())
                    .satisfies(e -> assertThat(NoAnswerException.of(e).reason()).isEqualTo(NoAnswerException.Reason.PORT_CLOSED));
        }
    }

    @Test
    void silentServerSeesEveryTransmissionThenTheClientTimesOut() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                TurnClient client = TurnClient.builder().server((InetSocketAddress) silent.getLocalSocketAddress())
                        .retransmission(QUICK).build()) {
            var binding = client.binding();
            int received = 0;
            silent.setSoTimeout(2000);
            byte[] buffer = new byte[1500];
            try {
                for (int i = 0; i < 10; i++) {
                    silent.receive(new DatagramPacket(buffer, buffer.length));
                    received++;
                }
            } catch (SocketTimeoutException expected) {
                // no more transmissions
            }

            assertThat(received).isEqualTo(3);
            assertThatThrownBy(binding::join)
                    .satisfies(e -> assertThat(NoAnswerException.of(e).reason()).isEqualTo(NoAnswerException.Reason.TIMEOUT));
        }
    }

    @Test
    void tlsWithAnUntrustedCertificateFailsAsTls() {
        try (TurnServer server = LoopbackServers.standard().tlsPort(0).build().start();
                TurnClient client = TurnClient.builder().server(server.tlsAddress()).transport(Transport.TLS).build()) {
            assertThatThrownBy(() -> client.binding().join())
                    .satisfies(e -> assertThat(NoAnswerException.of(e).reason()).isEqualTo(NoAnswerException.Reason.TLS_FAILED));
        }
    }

    @Test
    void tlsAllocatesWhenTheCertificateIsTrusted() throws Exception {
        try (TurnServer server = LoopbackServers.standard().tlsPort(0).build().start();
                TurnClient client = TurnClient.builder().server(server.tlsAddress()).transport(Transport.TLS)
                        .sslContext(SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build())
                        .credentials(LoopbackServers.USER, LoopbackServers.PASSWORD).build()) {
            assertThat(client.allocate().join().isSuccess()).isTrue();
        }
    }

    @Test
    void tryAlternateIsFollowedToTheAlternateServer() throws Exception {
        try (TurnServer server = LoopbackServers.standard().build().start();
                DatagramSocket redirector = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                TurnClient client = TurnClient.builder().server((InetSocketAddress) redirector.getLocalSocketAddress())
                        .credentials(LoopbackServers.USER, LoopbackServers.PASSWORD).build()) {
            var allocate = client.allocate();
            redirect(redirector, server.udpAddress());

            assertThat(allocate.join().isSuccess()).isTrue();
            assertThat(client.server()).isEqualTo(server.udpAddress());
        }
    }

    /** Answers one request with 300 Try Alternate naming {@code alternate} (RFC 8489 §10). */
    private static void redirect(DatagramSocket socket, InetSocketAddress alternate) throws IOException {
        byte[] buffer = new byte[1500];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.setSoTimeout(5000);
        socket.receive(packet);
        StunMessage request = StunMessageCodec.decode(Unpooled.wrappedBuffer(buffer, 0, packet.getLength()));
        StunMessage answer = StunMessage.errorResponse(request, ErrorCode.TRY_ALTERNATE)
                .add(new AlternateServer(alternate)).build();
        ByteBuf wire = StunMessageCodec.encode(answer, ByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = ByteBufUtil.getBytes(wire);
            socket.send(new DatagramPacket(bytes, bytes.length, packet.getSocketAddress()));
        } finally {
            wire.release();
        }
    }

    static InetSocketAddress closedUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return (InetSocketAddress) s.getLocalSocketAddress();
        }
    }
}
