package dev.turnlab.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.benchmarks.load.LoadConfig.Mode;
import dev.turnlab.benchmarks.load.LoadConfig.Transport;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import io.netty.buffer.Unpooled;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Servers that do not answer: setup fails with a reason, within the bounds the generator promises. */
@Timeout(60)
class SetupFailureTest {

    private static LoadConfig config(InetSocketAddress server, int sessions, int rehearsal) {
        return new LoadConfig(server, "u", "p", null, Transport.UDP, sessions, 160, 50, Duration.ofSeconds(1),
                Duration.ZERO, Mode.CHANNEL, null, 16, 1, 64, Duration.ofSeconds(20), Duration.ofSeconds(240),
                rehearsal);
    }

    @Test
    void aSilentServerGetsFourTransmissionsOfEachAllocateThenATimeoutAndNothingOfTheRehearsal() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            silent.setSoTimeout(10_000);
            long start = System.nanoTime();
            LoadRun run = new LoadRun(config((InetSocketAddress) silent.getLocalSocketAddress(), 2, 50), null);
            CompletableFuture<LoadReport> result = CompletableFuture.supplyAsync(() -> runUninterrupted(run));
            List<StunMessage> requests = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            byte[] buf = new byte[2048];
            try {
                while (requests.size() < 8) {
                    DatagramPacket packet = new DatagramPacket(buf, buf.length);
                    silent.receive(packet);
                    times.add(System.nanoTime());
                    requests.add(StunMessageCodec.decode(Unpooled.wrappedBuffer(buf, 0, packet.getLength())));
                }
                // A fifth transmission would come at 7.5 s; the transaction gives up then instead.
                silent.setSoTimeout(5_000);
                silent.receive(new DatagramPacket(buf, buf.length));
                requests.add(null);
            } catch (SocketTimeoutException expected) {
                // no fifth transmission of either request
            }
            LoadReport report = result.get(30, TimeUnit.SECONDS);
            // The 50 rehearsed sessions went to the stand-in: the server heard only the 2 measured Allocates.
            assertThat(requests).hasSize(8).allSatisfy(r -> assertThat(r.method()).isEqualTo(Method.ALLOCATE));
            assertThat(requests.stream().map(StunMessage::transactionId).distinct()).hasSize(2);
            // RFC 8489 §6.2.1: the retransmissions come after 0.5, 1 and 2 s: the last one at 3.5 s.
            assertThat(Duration.ofNanos(times.get(7) - times.get(0))).isBetween(Duration.ofMillis(3_000),
                    Duration.ofMillis(5_000));
            assertThat(report.failures()).containsExactly(Map.entry(SetupOutcome.TIMEOUT, 2));
            assertThat(report.setupSeconds()).isBetween(7.0, 12.0);
            assertThat(report.message()).contains("no answer from the server");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        }
    }

    private static LoadReport runUninterrupted(LoadRun run) {
        try {
            return run.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aClosedPortIsUnreachableAtOnce() throws Exception {
        InetSocketAddress closed;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closed = (InetSocketAddress) s.getLocalSocketAddress();
        }
        LoadReport result = new LoadRun(config(closed, 3, 0), null).run();
        assertThat(result.failures()).containsExactly(Map.entry(SetupOutcome.UNREACHABLE, 3));
        assertThat(result.setupSeconds()).isLessThan(5.0);
        assertThat(result.tally().sent()).isZero();
    }
}
