package dev.turnlab.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.Transport;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.RequestedTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slow TCP clients as an attacker uses them: connections that send part of a request and then nothing
 * (half-open), and connections that trickle one byte of a 64 KiB frame every half second, so that they are never
 * idle and never done. The server must keep serving others meanwhile, close both kinds within the attack
 * (its idle timeout is 60 s), and hold no file descriptor for them once the attacker is gone.
 */
class TcpAttackSoak {

    private static final int HALF_OPEN = 200;
    private static final int TRICKLING = 50;
    private static final Duration TICK = Duration.ofMillis(500);

    @Test
    @Timeout(value = 1, unit = java.util.concurrent.TimeUnit.HOURS)
    void halfOpenAndTricklingConnectionsAreClosedAndCostNothingAfter() throws Exception {
        try (ServerProcess server = ServerProcess.start("--user", "victim:victim-password", "--relay-ports", "21500-21599")) {
            allocateOnce(server, Transport.TCP);
            Footprint start = server.footprint();
            Soak.report("tcp attack start", start);

            byte[] request = encode(StunMessage.request(Method.ALLOCATE).add(RequestedTransport.UDP).build());
            List<SocketChannel> halfOpen = new ArrayList<>();
            List<SocketChannel> trickling = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            try {
                for (int i = 0; i < HALF_OPEN; i++) {
                    SocketChannel c = SocketChannel.open(server.address());
                    c.write(ByteBuffer.wrap(request, 0, Math.min(request.length, 30)));
                    c.configureBlocking(false);
                    halfOpen.add(c);
                }
                // A STUN header announcing 65532 bytes of attributes: the frame completes after 9 hours at this pace.
                byte[] header = Arrays.copyOf(request, 20);
                header[2] = (byte) 0xFF;
                header[3] = (byte) 0xFC;
                for (int i = 0; i < TRICKLING; i++) {
                    SocketChannel c = SocketChannel.open(server.address());
                    c.write(ByteBuffer.wrap(header));
                    c.configureBlocking(false);
                    trickling.add(c);
                }
                long t0 = System.nanoTime();
                long deadline = t0 + Soak.ATTACK.toNanos();
                boolean servedDuringAttack = false;
                int halfOpenClosed = 0;
                int tricklingClosed = 0;
                while (System.nanoTime() - deadline < 0 && (halfOpenClosed < HALF_OPEN || tricklingClosed < TRICKLING)) {
                    Thread.sleep(TICK.toMillis());
                    for (SocketChannel c : trickling) {
                        if (c.isOpen()) {
                            try {
                                c.write(ByteBuffer.wrap(new byte[] {0}));
                            } catch (IOException closedByServer) {
                                c.close();
                            }
                        }
                    }
                    halfOpenClosed = closedByServer(halfOpen);
                    tricklingClosed = closedByServer(trickling);
                    if (!servedDuringAttack && System.nanoTime() - t0 > Duration.ofSeconds(5).toNanos()) {
                        servedDuringAttack = allocateOnce(server, Transport.UDP) && allocateOnce(server, Transport.TCP);
                        Soak.report("served UDP and TCP during the attack", servedDuringAttack);
                    }
                }
                long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
                Soak.report("half-open connections closed by the server", halfOpenClosed + "/" + HALF_OPEN + " in " + seconds + " s");
                Soak.report("trickling connections closed by the server", tricklingClosed + "/" + TRICKLING + " in " + seconds + " s");
                Soak.report("server during the attack", server.footprint());
                if (!servedDuringAttack) {
                    failures.add("no allocation over UDP and TCP during the attack");
                }
                if (halfOpenClosed < HALF_OPEN) {
                    failures.add((HALF_OPEN - halfOpenClosed) + " half-open connections still open after " + seconds + " s");
                }
                if (tricklingClosed < TRICKLING) {
                    failures.add((TRICKLING - tricklingClosed) + " trickling connections still open after " + seconds + " s");
                }
            } finally {
                for (SocketChannel c : halfOpen) {
                    c.close();
                }
                for (SocketChannel c : trickling) {
                    c.close();
                }
            }
            Soak.await(Duration.ofSeconds(30), () -> server.footprint().fds() <= start.fds() + Footprint.FD_MARGIN);
            Footprint end = server.footprint();
            Soak.report("tcp attack end", end);
            failures.addAll(end.departuresFrom(start));
            assertThat(failures).as("tcp attack: %s -> %s", start, end).isEmpty();
        }
    }

    /** How many of {@code connections} the server has closed: reading gives end of stream (or a reset). */
    private static int closedByServer(List<SocketChannel> connections) {
        int closed = 0;
        ByteBuffer sink = ByteBuffer.allocate(4096);
        for (SocketChannel c : connections) {
            if (!c.isOpen()) {
                closed++;
                continue;
            }
            try {
                sink.clear();
                if (c.read(sink) < 0) {
                    c.close();
                    closed++;
                }
            } catch (IOException reset) {
                closed++;
                try {
                    c.close();
                } catch (IOException ignored) {
                    // Closed either way.
                }
            }
        }
        return closed;
    }

    private static boolean allocateOnce(ServerProcess server, Transport transport) throws Exception {
        try (Clients clients = new Clients(server.address(), transport)) {
            return clients.allocate(1, "victim", "victim-password").equals(Map.of("ok", 1));
        }
    }

    private static byte[] encode(StunMessage m) {
        ByteBuf out = Unpooled.buffer();
        try {
            StunMessageCodec.encode(m, out);
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return bytes;
        } finally {
            out.release();
        }
    }
}
