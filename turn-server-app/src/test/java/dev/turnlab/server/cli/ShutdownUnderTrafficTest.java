package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.TurnClient;
import dev.turnlab.testing.tools.Peer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code turn-server} in a process of its own, stopped by SIGTERM while UDP traffic flows both ways through a
 * channel and Binding requests pour in: the shutdown hook closes the server, which logs its stop line and
 * nothing at WARN or above, and no stack trace (the runnable jar's logging configuration).
 */
class ShutdownUnderTrafficTest {

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();

    @Test
    void sigtermDuringUdpTrafficStopsWithoutWarnings() throws Exception {
        ServerProcess server = ServerProcess.start("--no-tls", "--user", "alice:alice-secret", "--allow-loopback-peers");
        Thread[] traffic = new Thread[0];
        TurnClient client = null;
        try (Peer peer = new Peer()) {
            InetSocketAddress listener = server.udpAddress();
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
            server.process().toHandle().destroy();
            assertThat(server.exited()).as("exited; output:%n%s", server.output()).isTrue();
        } finally {
            stop.set(true);
            for (Thread t : traffic) {
                t.join(10_000);
            }
            if (client != null) {
                client.close();
            }
            server.close();
        }
        assertThat(sent.get()).as("datagrams sent before and during the stop").isGreaterThanOrEqualTo(100_000);
        String log = server.output();
        assertThat(log).contains("TURN server stopped");
        // Logback's own status lines ("|-WARN in ...") count too: they mean its configuration is off.
        assertThat(log.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("|-WARN")
                || l.contains("|-ERROR") || l.contains("Exception") || l.startsWith("\tat ")))
                .as("warnings and stack traces in:%n%s", log).isEmpty();
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
}
