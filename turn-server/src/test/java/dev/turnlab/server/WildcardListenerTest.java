package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.server.fault.Fault;
import dev.turnlab.testing.tools.CapturedLog;
import dev.turnlab.testing.tools.MutableClock;
import dev.turnlab.server.support.BlockingClient;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A wildcard listening address ({@code --listen 0.0.0.0}, the default) binds UDP on each local address, so
 * that a client is answered from the address it sent to and logged with it. Clients sit on 127.0.0.1 and send
 * only to loopback listeners (the rule for every test); the others are checked by their addresses and port.
 */
class WildcardListenerTest {

    private static final int ANSWER_MILLIS = 5000;

    @RegisterExtension
    final CapturedLog log = new CapturedLog();
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

    private static TurnServerBuilder wildcard(MutableClock clock) {
        return TurnServer.builder().listen("0.0.0.0").port(0).relayPorts(TestServers.RELAY_MIN, TestServers.RELAY_MAX)
                .user("alice", "alice-secret").allowLoopbackPeers(true).clock(clock).ioThreads(2);
    }

    @Test
    void udpIsBoundOnLoopbackAndEachLocalAddressOnOnePortWhileTcpStaysOnTheWildcard() {
        start(wildcard(clock));
        int port = server.tcpAddress().getPort();
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", port);
        assertThat(server.udpAddress()).isEqualTo(loopback);
        assertThat(server.udpAddresses()).contains(loopback).doesNotHaveDuplicates()
                .allSatisfy(a -> assertThat(a.getPort()).isEqualTo(port))
                .noneSatisfy(a -> assertThat(a.getAddress().isAnyLocalAddress()).isTrue());
        assertThat(server.tcpAddress().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("TURN server started")
                .contains("udp=[127.0.0.1:" + port));
    }

    @Test
    void aBindingRequestToLoopbackIsAnsweredFromLoopbackAndTheClientIsLoggedWithIt() throws Exception {
        start(wildcard(clock));
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", server.udpAddress().getPort());
        assertThat(bindingAnswerSource(loopback)).isEqualTo(loopback);
        try (BlockingClient client = BlockingClient.udp(loopback, "alice", "alice-secret")) {
            assertThat(client.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        }
        assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("TURN allocation created")
                .contains("->127.0.0.1:" + loopback.getPort()).doesNotContain("0.0.0.0"));
    }

    @Test
    void rejectUdpClosesEveryUdpListenerAndOffBindsThemAllAgain() throws Exception {
        start(wildcard(clock));
        server.faults().switchOn("reject-udp", "test");
        for (InetSocketAddress listener : loopbackListeners()) {
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                socket.connect(listener);
                socket.setSoTimeout(ANSWER_MILLIS);
                byte[] request = BlockingClient.encode(binding());
                socket.send(new DatagramPacket(request, request.length));
                assertThatThrownBy(() -> socket.receive(new DatagramPacket(new byte[1500], 1500)))
                        .as("ICMP port unreachable from %s", listener).isInstanceOf(PortUnreachableException.class);
            }
        }
        server.faults().switchOff(Fault.REJECT_UDP, "test");
        for (InetSocketAddress listener : loopbackListeners()) {
            assertThat(bindingAnswerSource(listener)).isEqualTo(listener);
        }
    }

    /**
     * The UDP listeners on loopback addresses: tests send only to loopback, so the listeners on the host's
     * other addresses are checked by their count and port, not with traffic.
     */
    private List<InetSocketAddress> loopbackListeners() {
        List<InetSocketAddress> loopback = server.udpAddresses().stream()
                .filter(a -> a.getAddress().isLoopbackAddress()).toList();
        assertThat(loopback).isNotEmpty();
        return loopback;
    }

    /** Sends a Binding request from an unconnected socket on 127.0.0.1 and returns where the success response came from. */
    private static InetSocketAddress bindingAnswerSource(InetSocketAddress server) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(ANSWER_MILLIS);
            byte[] request = BlockingClient.encode(binding());
            socket.send(new DatagramPacket(request, request.length, server));
            DatagramPacket answer = new DatagramPacket(new byte[1500], 1500);
            socket.receive(answer);
            byte[] bytes = java.util.Arrays.copyOf(answer.getData(), answer.getLength());
            assertThat(BlockingClient.decode(bytes).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            return (InetSocketAddress) answer.getSocketAddress();
        }
    }

    private static StunMessage binding() {
        return StunMessage.request(Method.BINDING).fingerprint().build();
    }
}
