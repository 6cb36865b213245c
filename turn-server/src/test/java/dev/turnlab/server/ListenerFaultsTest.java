package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.server.fault.Fault;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The faults that act on the listening sockets, over real sockets on loopback: stall, silent-udp,
 * silent-tcp, reject-udp and reject-tcp each do what the README says while on, and the server is
 * itself again, on the same ports, once they are off.
 */
class ListenerFaultsTest {

    /** How long an answer that must not come is waited for. */
    private static final int SILENCE_MILLIS = 400;
    private static final int ANSWER_MILLIS = 5000;

    private final MutableClock clock = MutableClock.now();
    private TurnServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private TurnServer start(TurnServerBuilder builder) {
        server = builder.build().start();
        return server;
    }

    private static StunMessage binding() {
        return StunMessage.request(Method.BINDING).fingerprint().build();
    }

    private static void assertAnswered(BlockingClient client) throws Exception {
        assertThat(client.exchange(binding()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    }

    private static void assertUnanswered(BlockingClient client) throws Exception {
        client.sendRaw(BlockingClient.encode(binding()));
        assertThat(client.receiveRaw(SILENCE_MILLIS)).isNull();
    }

    @Test
    void stallReadsRequestsOnEveryListenerAndAnswersNoneWhileTheConnectionStaysOpen() throws Exception {
        start(TestServers.loopback(clock));
        try (BlockingClient udp = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient tcp = BlockingClient.tcp(server.tcpAddress(), "alice", "alice-secret")) {
            server.faults().switchOn("stall", "test");
            assertUnanswered(udp);
            assertUnanswered(tcp);
            assertThat(server.faults().report().dropped().get("stall")).isEqualTo(2);

            server.faults().switchOff(Fault.STALL, "test");
            // The same connection: it was kept open all along, and the server answers on it again.
            assertAnswered(tcp);
            assertAnswered(udp);
        }
    }

    @Test
    void silentUdpDropsWhatTheUdpListenerReadsAndLeavesTcpAlone() throws Exception {
        start(TestServers.loopback(clock));
        try (BlockingClient udp = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient tcp = BlockingClient.tcp(server.tcpAddress(), "alice", "alice-secret")) {
            server.faults().switchOn("silent-udp", "test");
            assertUnanswered(udp);
            assertAnswered(tcp);

            server.faults().switchOff(Fault.SILENT_UDP, "test");
            assertAnswered(udp);
        }
    }

    @Test
    void silentTcpAcceptsNoConnectionUntilItIsOffAndOpenConnectionsHearNothing() throws Exception {
        start(TestServers.loopback(clock));
        try (BlockingClient before = BlockingClient.tcp(server.tcpAddress(), "alice", "alice-secret");
                BlockingClient udp = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            assertAnswered(before);
            server.faults().switchOn("silent-tcp", "test");
            assertUnanswered(before);
            // The kernel completes the handshake of a new connection; the server neither accepts nor reads it.
            try (BlockingClient during = BlockingClient.tcp(server.tcpAddress(), "alice", "alice-secret")) {
                during.sendRaw(BlockingClient.encode(binding()));
                assertThat(during.receiveRaw(SILENCE_MILLIS)).isNull();
                assertAnswered(udp);

                server.faults().switchOff(Fault.SILENT_TCP, "test");
                // Accepted from the backlog at last, its waiting request is read and answered.
                byte[] late = during.receiveRaw(ANSWER_MILLIS);
                assertThat(late).isNotNull();
                assertThat(BlockingClient.decode(late).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
                assertAnswered(before);
            }
        }
    }

    @Test
    void rejectUdpClosesTheSocketSoTheKernelAnswersPortUnreachableAndOffBindsTheSamePort() throws Exception {
        start(TestServers.loopback(clock));
        InetSocketAddress udpAddress = server.udpAddress();
        server.faults().switchOn("reject-udp", "test");
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.connect(udpAddress);
            socket.setSoTimeout(ANSWER_MILLIS);
            byte[] request = BlockingClient.encode(binding());
            socket.send(new DatagramPacket(request, request.length));
            assertThatThrownBy(() -> socket.receive(new DatagramPacket(new byte[1500], 1500)))
                    .isInstanceOf(PortUnreachableException.class);
        }
        try (BlockingClient tcp = BlockingClient.tcp(server.tcpAddress(), "alice", "alice-secret")) {
            assertAnswered(tcp);
        }

        server.faults().switchOff(Fault.REJECT_UDP, "test");
        assertThat(server.udpAddress()).isEqualTo(udpAddress);
        try (BlockingClient udp = BlockingClient.udp(udpAddress, "alice", "alice-secret")) {
            assertAnswered(udp);
            assertThat(udp.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        }
    }

    @Test
    void rejectTcpFromStartUpRefusesConnectionsAndOffAcceptsThemOnTheSamePort() throws Exception {
        start(TestServers.loopback(clock).fault("reject-tcp"));
        InetSocketAddress tcpAddress = server.tcpAddress();
        try (Socket socket = new Socket()) {
            assertThatThrownBy(() -> socket.connect(tcpAddress, ANSWER_MILLIS)).isInstanceOf(ConnectException.class);
        }
        try (BlockingClient udp = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
            assertAnswered(udp);
        }

        server.faults().switchOff(Fault.REJECT_TCP, "test");
        try (BlockingClient tcp = BlockingClient.tcp(tcpAddress, "alice", "alice-secret")) {
            assertAnswered(tcp);
        }
    }

    @Test
    void closingTheServerClosesAListenerBoundAgain() throws Exception {
        start(TestServers.loopback(clock).fault("reject-tcp"));
        InetSocketAddress tcpAddress = server.tcpAddress();
        server.faults().switchOff(Fault.REJECT_TCP, "test");
        server.close();
        try (Socket socket = new Socket()) {
            assertThatThrownBy(() -> socket.connect(tcpAddress, ANSWER_MILLIS)).isInstanceOf(ConnectException.class);
        }
    }
}
