package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * What a TCP or TLS connection without an allocation may cost, over real sockets on loopback: caps per
 * source address and in all, refused connections reset at once; a trickle closed at the first-request
 * deadline although bytes keep arriving; a connection with an allocation left alone.
 */
class StreamLimitsTest {

    private final MutableClock clock = MutableClock.now();

    private TurnServer start(ConnectionLimits limits) {
        return TestServers.loopback(clock).tlsPort(0).connectionLimits(limits).build().start();
    }

    @Test
    void connectionsPastThePerSourceCapAreResetAtOnceAndCounted() throws Exception {
        try (TurnServer server = start(ConnectionLimits.DEFAULT.withMaxConnectionsPerSource(2));
                Socket tls = connect(server.tlsAddress(), 1)) {
            Socket a = connect(server.tcpAddress(), 1);
            assertAnswersBinding(a);
            assertThat(tls.isClosed()).as("the TLS listener counts for the same source").isFalse();
            assertThat(refused(server.tcpAddress(), 1)).isTrue();
            try (Socket otherSource = connect(server.tcpAddress(), 2)) {
                assertAnswersBinding(otherSource);
            }
            assertThat(server.counters().connectionRefusalCounts())
                    .containsEntry("per_source_limit", 1L).containsEntry("total_limit", 0L);
            a.close();
            await(() -> server.counters().openConnectionCount() == 1);
            try (Socket again = connect(server.tcpAddress(), 1)) {
                assertAnswersBinding(again);
            }
        }
    }

    @Test
    void connectionsPastTheTotalCapAreResetAtOnceAndCounted() throws Exception {
        try (TurnServer server = start(ConnectionLimits.DEFAULT.withMaxConnections(2));
                Socket a = connect(server.tcpAddress(), 1);
                Socket b = connect(server.tcpAddress(), 2)) {
            assertAnswersBinding(a);
            assertAnswersBinding(b);
            assertThat(refused(server.tcpAddress(), 3)).isTrue();
            assertThat(server.counters().connectionRefusalCounts()).containsEntry("total_limit", 1L);
            assertThat(server.metrics().connections().open()).isEqualTo(2);
        }
    }

    @Test
    void aTrickleIsClosedAtTheFirstRequestDeadlineOverTcpAndTls() throws Exception {
        // The idle timer is a minute and every byte resets it: only the first-request deadline can close these.
        try (TurnServer server = start(ConnectionLimits.DEFAULT.withFirstRequestTimeout(Duration.ofMillis(500)));
                Socket tcp = connect(server.tcpAddress(), 1);
                Socket tls = connect(server.tlsAddress(), 1)) {
            assertThat(closesWhileTrickling(tcp, new byte[] {0x00, 0x01, 0x00})).isTrue();
            assertThat(closesWhileTrickling(tls, new byte[] {0x16, 0x03, 0x01})).isTrue();
            assertThat(server.counters().connectionTimeoutCounts()).containsEntry("first_request", 2L);
        }
    }

    @Test
    void aConnectionWithAnAllocationKeepsOnlyTheIdleRule() throws Exception {
        ConnectionLimits quick = ConnectionLimits.DEFAULT.withFirstRequestTimeout(Duration.ofMillis(300))
                .withPartialFrameTimeout(Duration.ofMillis(300));
        try (TurnServer server = start(quick);
                BlockingClient client = BlockingClient.tcp(server.tcpAddress(), "alice", "alice-secret")) {
            client.allocate();
            byte[] binding = BlockingClient.encode(StunMessage.request(Method.BINDING).build());
            client.sendRaw(Arrays.copyOf(binding, 10));
            Thread.sleep(1000); // past both deadlines, with a frame begun
            client.sendRaw(Arrays.copyOfRange(binding, 10, binding.length));
            assertThat(BlockingClient.decode(client.receiveRaw(3000)).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(client.refresh(600).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(server.counters().connectionTimeoutCounts().values()).containsOnly(0L);
        }
    }

    /** A TCP connection to {@code server} from 127.0.0.{@code host}. */
    private static Socket connect(InetSocketAddress server, int host) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) host}), 0));
        s.connect(server, 5000);
        s.setSoTimeout(5000);
        return s;
    }

    private static void assertAnswersBinding(Socket s) throws IOException {
        s.getOutputStream().write(BlockingClient.encode(StunMessage.request(Method.BINDING).build()));
        byte[] header = s.getInputStream().readNBytes(20);
        assertThat(header).hasSize(20);
        assertThat(BlockingClient.decode(concat(header, s.getInputStream().readNBytes(
                ((header[2] & 0xFF) << 8) | (header[3] & 0xFF)))).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    }

    /**
     * Whether a connection from 127.0.0.{@code host} is reset at once: the reset may come before the
     * handshake has completed on this side, or as the first read.
     */
    private static boolean refused(InetSocketAddress server, int host) throws IOException {
        Socket s;
        try {
            s = connect(server, host);
        } catch (SocketException e) {
            return true;
        }
        try (s) {
            return closedByServer(s);
        }
    }

    /** Whether the server closed {@code s}: reading meets the end of the stream or a reset. */
    private static boolean closedByServer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Sends one byte every 100 ms for at most 10 s; whether the server closed the connection meanwhile. */
    private static boolean closesWhileTrickling(Socket s, byte[] bytes) throws Exception {
        s.setSoTimeout(100);
        InputStream in = s.getInputStream();
        for (int i = 0; i < 100; i++) {
            try {
                s.getOutputStream().write(bytes[Math.min(i, bytes.length - 1)]);
                if (in.read() < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                continue;
            } catch (SocketException e) {
                return true;
            }
        }
        return false;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 1000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
