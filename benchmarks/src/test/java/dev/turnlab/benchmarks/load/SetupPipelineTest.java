package dev.turnlab.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.benchmarks.load.LoadConfig.Mode;
import dev.turnlab.benchmarks.load.LoadConfig.Transport;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pipelined setup: never more sessions in flight than asked for, and every session started once one ends. */
@Timeout(60)
class SetupPipelineTest {

    private static LoadConfig config(InetSocketAddress server, int sessions, int threads, int concurrency,
            Duration setupTimeout) {
        return new LoadConfig(server, "u", "p", null, Transport.UDP, sessions, 160, 50, Duration.ofSeconds(1),
                Duration.ZERO, Mode.CHANNEL, null, 16, threads, concurrency, setupTimeout, Duration.ofSeconds(240), 0);
    }

    @Test
    void aServerThatNeverAnswersMeetsOnlyAsManySessionsAsMayBeInFlight() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            LoadRun run = new LoadRun(config((InetSocketAddress) silent.getLocalSocketAddress(), 10, 2, 3,
                    Duration.ofSeconds(2)), null);
            CompletableFuture<LoadReport> result = CompletableFuture.supplyAsync(() -> {
                try {
                    return run.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
            // No session ends before its Allocate is given up (7.5 s), after the 2 s the setup may take: the
            // silent server hears three sockets, each sending at 0, 0.5 and 1.5 s, and no fourth.
            Set<InetSocketAddress> sources = new HashSet<>();
            silent.setSoTimeout(500);
            byte[] buf = new byte[2048];
            while (!result.isDone()) {
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                try {
                    silent.receive(packet);
                    sources.add((InetSocketAddress) packet.getSocketAddress());
                } catch (SocketTimeoutException quiet) {
                    // see whether the run has ended
                }
            }
            LoadReport report = result.get(30, TimeUnit.SECONDS);
            assertThat(sources).hasSize(3);
            assertThat(report.failures()).containsExactly(Map.entry(SetupOutcome.SETUP_TIMEOUT, 10));
        }
    }

    @Test
    void eachSessionThatEndsStartsTheNextUntilAllHaveRun() throws Exception {
        InetSocketAddress closed;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closed = (InetSocketAddress) s.getLocalSocketAddress();
        }
        // One in flight on one of the two loops; three in flight over two loops (two on one, one on the other).
        for (int concurrency : new int[] {1, 3}) {
            LoadReport report = new LoadRun(config(closed, 7, 2, concurrency, Duration.ofSeconds(20)), null).run();
            assertThat(report.failures()).as("concurrency %d", concurrency)
                    .containsExactly(Map.entry(SetupOutcome.UNREACHABLE, 7));
        }
    }
}
