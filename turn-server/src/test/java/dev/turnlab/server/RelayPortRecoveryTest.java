package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.testing.tools.CapturedLog;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Relay ports that another socket holds when an Allocate tries them (RFC 8656 §7.2: the server picks a
 * relayed transport address it can use): the Allocate moves on to another port, the held port is counted
 * free again and offered after a back-off, and the ports in use are always the ports allocations hold.
 */
class RelayPortRecoveryTest {

    /**
     * Ten ports away from the other tests' ranges and below the kernel's ephemeral ports (32768-60999), where
     * no other test's client socket lands by chance: the only sockets in the range are the test's own.
     */
    private static final int MIN = 32600;
    private static final int SIZE = 10;

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private final MutableClock clock = MutableClock.now();
    private final List<DatagramSocket> foreign = new ArrayList<>();
    private final List<BlockingClient> clients = new ArrayList<>();
    private final List<BlockingClient> allocated = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        foreign.forEach(DatagramSocket::close);
        for (BlockingClient c : clients) {
            c.close();
        }
    }

    @Test
    void portsHeldByForeignSocketsComeBackOnceFreed() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).relayPorts(MIN, MIN + SIZE - 1).build().start()) {
            // Another process holds half the range: every even port.
            for (int port = MIN; port < MIN + SIZE; port += 2) {
                foreign.add(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            }
            int held = foreign.size();

            assertThat(allocations(server, SIZE)).as("Allocates while half the range is held").isEqualTo(SIZE - held);
            assertThat(server.metrics().relayPortsInUse()).isEqualTo(SIZE - held);
            // Each held port that an Allocate tried is logged once, with the address, port and reason.
            assertThat(log.lines().stream().filter(l -> l.startsWith("TURN relay port unavailable ")))
                    .isNotEmpty().doesNotHaveDuplicates()
                    .allSatisfy(l -> assertThat(l).matches("TURN relay port unavailable \\(tried again after a back-off\\)"
                            + " address=127\\.0\\.0\\.1:326(00|02|04|06|08) error=\"Address already in use\""));

            foreign.forEach(DatagramSocket::close);
            for (BlockingClient c : allocated) {
                assertThat(c.refresh(0).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            }
            allocated.clear();
            await(() -> server.allocations().isEmpty() && server.metrics().relayPortsInUse() == 0,
                    () -> "in use " + server.metrics().relayPortsInUse() + " with allocations " + server.allocations());

            // Past the back-off every port is offered again.
            clock.advance(Duration.ofMinutes(1));
            assertThat(allocations(server, SIZE)).as("Allocates once every port is free").isEqualTo(SIZE);
            assertThat(server.metrics().relayPortsInUse()).isEqualTo(SIZE);
            assertThat(server.metrics().relayPortsFree()).isZero();
        }
    }

    @Test
    void aPortThatCannotBeBoundLeavesNoSocketOpen() throws Exception {
        try (TurnServer server = TestServers.loopback(clock).relayPorts(MIN, MIN + 1).build().start()) {
            // Another process holds the whole range: every Allocate tries both ports (the back-off passed) and fails.
            for (int port = MIN; port <= MIN + 1; port++) {
                foreign.add(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            }
            assertThat(allocations(server, 1)).isZero();
            for (BlockingClient c : clients) {
                c.close();
            }
            clients.clear();
            long before = openDescriptors();
            for (int i = 0; i < 20; i++) {
                clock.advance(Duration.ofMinutes(1));
                try (BlockingClient c = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret")) {
                    assertThat(BlockingClient.isError(c.allocate(), 508)).isTrue();
                }
            }
            // 40 failed binds: were their sockets left open, the count would have grown by 40.
            assertThat(openDescriptors() - before).as("descriptors opened and not closed").isLessThan(10);
        }
    }

    private static long openDescriptors() {
        return ((com.sun.management.UnixOperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getOpenFileDescriptorCount();
    }

    /** {@code n} new clients each send an Allocate; returns how many got one (the others got 508). */
    private int allocations(TurnServer server, int n) throws IOException {
        int granted = 0;
        for (int i = 0; i < n; i++) {
            BlockingClient c = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
            clients.add(c);
            StunMessage response = c.allocate();
            if (response.stunClass() == StunClass.SUCCESS_RESPONSE) {
                allocated.add(c);
                granted++;
            } else {
                assertThat(BlockingClient.isError(response, 508)).as("%s", response).isTrue();
            }
        }
        return granted;
    }

    private static void await(BooleanSupplier condition, Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s: " + state.get());
            }
            Thread.sleep(20);
        }
    }
}
