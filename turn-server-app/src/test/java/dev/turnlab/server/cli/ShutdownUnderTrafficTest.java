package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.TurnClient;
import dev.turnlab.testing.tools.Peer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code turn-server} in a process of its own, stopped by SIGTERM while UDP traffic flows both ways through a
 * channel and Binding requests pour in: the shutdown hook closes the server, which logs its stop line and
 * nothing at WARN or above, and no stack trace (the runnable jar's logging configuration).
 */
class ShutdownUnderTrafficTest {

    private static final Pattern LISTENING = Pattern.compile("listening: udp 127\\.0\\.0\\.1:(\\d+)");

    private final StringBuffer output = new StringBuffer();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();

    @Test
    void sigtermDuringUdpTrafficStopsWithoutWarnings() throws Exception {
        Path logging = Path.of("src/main/shade/logback.xml").toAbsolutePath();
        assertThat(logging).exists();
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=" + logging,
                Main.class.getName(), "--listen", "127.0.0.1", "--port", "0", "--no-tls", "--relay-ports", "32650-32669",
                "--user", "alice:alice-secret", "--allow-loopback-peers")
                .redirectErrorStream(true).start();
        Thread reader = new Thread(() -> read(server), "server-output");
        reader.start();
        Thread[] traffic = new Thread[0];
        TurnClient client = null;
        try (Peer peer = new Peer()) {
            InetSocketAddress listener = new InetSocketAddress("127.0.0.1", awaitPort());
            client = TurnClient.builder().server(listener).credentials("alice", "alice-secret").build();
            InetSocketAddress relayed = client.allocate().join().value().relayedAddress();
            assertThat(client.channelBind(peer.address()).join().isSuccess()).isTrue();
            TurnClient bound = client;
            traffic = new Thread[] {
                new Thread(() -> relay(bound, peer, relayed), "relay-traffic"),
                new Thread(() -> bindings(listener), "binding-flood-1"),
                new Thread(() -> bindings(listener), "binding-flood-2"),
                new Thread(() -> bindings(listener), "binding-flood-3")};
            for (Thread t : traffic) {
                t.start();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sent.get() < 100_000 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            // SIGTERM: the shutdown hook closes the server during the traffic. (Process.destroy() would also
            // close the streams whose last lines the test reads.)
            server.toHandle().destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("exited; output:%n%s", output).isTrue();
        } finally {
            stop.set(true);
            for (Thread t : traffic) {
                t.join(10_000);
            }
            if (client != null) {
                client.close();
            }
            if (server.isAlive()) {
                server.toHandle().destroyForcibly();
            }
            reader.join(10_000);
        }
        assertThat(sent.get()).as("datagrams sent before and during the stop").isGreaterThanOrEqualTo(100_000);
        String log = output.toString();
        assertThat(log).contains("TURN server stopped");
        assertThat(log.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("Exception")
                || l.startsWith("\tat "))).as("warnings and stack traces in:%n%s", log).isEmpty();
    }

    /** ChannelData to the peer (the channel is bound) and the peer's datagrams back to the client through the relay. */
    private void relay(TurnClient client, Peer peer, InetSocketAddress relayed) {
        byte[] payload = new byte[160];
        try {
            while (!stop.get() && sent.get() < 5_000_000) {
                client.send(peer.address(), payload).join(); // written before the next: the socket's pace
                peer.send(relayed, payload);
                sent.addAndGet(2);
            }
        } catch (IOException | RuntimeException e) {
            // The server is gone: the test is over.
        }
    }

    /** Binding requests from one socket, each answered through the listener. */
    private void bindings(InetSocketAddress listener) {
        byte[] request = new byte[20];
        request[1] = 0x01; // Binding request, no attributes (RFC 8489 §5)
        request[4] = 0x21;
        request[5] = 0x12;
        request[6] = (byte) 0xA4;
        request[7] = 0x42;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            while (!stop.get() && sent.get() < 5_000_000) {
                for (int i = 8; i < 20; i++) {
                    request[i] = (byte) ThreadLocalRandom.current().nextInt();
                }
                socket.send(new DatagramPacket(request, request.length, listener));
                sent.incrementAndGet();
            }
        } catch (IOException e) {
            // The server is gone: the test is over.
        }
    }

    private int awaitPort() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(output);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no banner within 60 s; output:\n" + output);
    }

    private void read(Process process) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                output.append(line).append('\n');
            }
        } catch (IOException e) {
            output.append("(output unreadable: ").append(e).append(")\n");
        }
    }
}
