package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.turnlab.codec.StunClass;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import dev.turnlab.testing.tools.Peer;
import io.netty.util.ResourceLeakDetector;
import java.io.File;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Starting and closing a server, with live allocations on UDP, TCP and TLS, twenty times leaves no thread,
 * file descriptor (socket) or buffer behind; close() may be called any number of times.
 */
class LifecycleTest {

    private final MutableClock clock = MutableClock.now();

    private void cycle() throws Exception {
        TurnServer server = TestServers.loopback(clock).tlsPort(0).build().start();
        try (BlockingClient udp = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient tcp = BlockingClient.tcp(server.tcpAddress(), "bob", "bob-secret");
                BlockingClient tls = BlockingClient.tls(server.tlsAddress(), "alice", "alice-secret");
                Peer peer = new Peer()) {
            for (BlockingClient c : new BlockingClient[] {udp, tcp, tls}) {
                assertThat(c.allocate().stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
                assertThat(c.createPermission(peer.address()).stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            }
            // Closed with its allocations alive, twice.
            server.close();
            server.close();
            assertThat(server.allocations()).isEmpty();
        }
    }

    private static Set<String> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(t -> t.getName() + "#" + t.getId()).collect(Collectors.toSet());
    }

    private static int openFileDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    @Test
    void twentyStartsAndClosesLeakNothing() throws Exception {
        ListAppender<ILoggingEvent> leaks = new ListAppender<>();
        leaks.start();
        Logger leakLogger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        leakLogger.addAppender(leaks);
        try {
            cycle(); // loads classes, opens jars and creates Netty's global threads once
            Set<String> threadsBefore = liveThreads();
            int fdsBefore = openFileDescriptors();

            for (int i = 0; i < 20; i++) {
                cycle();
            }
            // Bounded wait for threads and sockets to finish closing.
            Set<String> extra = Set.of();
            int fds = -1;
            for (int i = 0; i < 50; i++) {
                extra = liveThreads().stream().filter(t -> !threadsBefore.contains(t)).collect(Collectors.toSet());
                fds = openFileDescriptors();
                if (extra.isEmpty() && fds <= fdsBefore) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(extra).isEmpty();
            if (fdsBefore >= 0) {
                assertThat(fds).isLessThanOrEqualTo(fdsBefore);
            }
            // The leak detector reports buffers collected without release when it tracks new ones.
            System.gc();
            cycle();
            assertThat(leaks.list).isEmpty();
        } finally {
            leakLogger.detachAppender(leaks);
        }
    }

    @Test
    void onlyAStartThatHappenedIsReportedStopped() {
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Logger server = (Logger) LoggerFactory.getLogger(TurnServer.class);
        server.addAppender(lines);
        try {
            TurnServer unbindable = TestServers.loopback(clock).relayAddress("203.0.113.5").build();
            assertThatThrownBy(unbindable::start).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("relayAddress: 203.0.113.5 (cannot bind: ");
            unbindable.close();
            assertThat(lines.list).isEmpty();

            TestServers.loopback(clock).build().start().close();
            assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                    .satisfiesExactly(l -> assertThat(l).startsWith("TURN server started"),
                            l -> assertThat(l).isEqualTo("TURN server stopped"));
        } finally {
            server.detachAppender(lines);
        }
    }

    @Test
    void closeWithoutStartAndAfterAFailedStartIsHarmless() throws Exception {
        TurnServer never = TestServers.loopback(clock).build();
        never.close();
        never.close();

        try (TurnServer first = TestServers.loopback(clock).build().start()) {
            TurnServer clash = TestServers.loopback(clock).port(first.udpAddress().getPort()).build();
            try {
                clash.start();
            } catch (ListenerBindException expected) {
                // The port is taken: start() failed and released what it had bound.
                assertThat(expected).hasMessage("cannot bind udp 127.0.0.1:" + first.udpAddress().getPort()
                        + ": Address already in use");
                assertThat(expected.address()).isEqualTo(first.udpAddress());
            }
            clash.close();
            clash.close();
        }
    }
}
