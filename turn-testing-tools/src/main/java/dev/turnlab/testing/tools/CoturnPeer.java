package dev.turnlab.testing.tools;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * coturn's {@code turnutils_peer}, the UDP echo that {@code turnutils_uclient} sends to, started on a loopback
 * address and returned only once it echoes. Close it to stop it.
 */
public final class CoturnPeer implements AutoCloseable {

    private final Process process;
    private final InetSocketAddress address;

    private CoturnPeer(Process process, InetSocketAddress address) {
        this.process = process;
        this.address = address;
    }

    /**
     * Starts {@code turnutils_peer -L host} on an even port whose next port is free too (uclient also binds a
     * channel to the peer's port + 1), writing its output to {@code log}; waits up to 30 s for its first echo.
     */
    public static CoturnPeer start(String host, Path log) throws IOException, InterruptedException {
        InetAddress ip = InetAddress.getByName(host);
        int port = freePortPair(ip);
        Process process = new ProcessBuilder("turnutils_peer", "-L", host, "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        CoturnPeer peer = new CoturnPeer(process, new InetSocketAddress(ip, port));
        try {
            peer.awaitEcho(log);
            return peer;
        } catch (IOException | RuntimeException | Error e) {
            peer.close();
            throw e;
        }
    }

    /** Where the peer listens. */
    public InetSocketAddress address() {
        return address;
    }

    /** The peer's port, as uclient's {@code -r} takes it. */
    public int port() {
        return address.getPort();
    }

    private void awaitEcho(Path log) throws IOException {
        byte[] probe = "ready?".getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(address.getAddress(), 0))) {
            s.setSoTimeout(250);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("turnutils_peer exited; log: " + Files.readString(log));
                }
                s.send(new DatagramPacket(probe, probe.length, address));
                try {
                    s.receive(new DatagramPacket(new byte[64], 64));
                    return;
                } catch (SocketTimeoutException notYet) {
                    // not listening yet: send again
                }
            }
        }
        throw new IllegalStateException("turnutils_peer did not echo on " + address + " within 30 s; log: "
                + Files.readString(log, StandardCharsets.UTF_8));
    }

    private static int freePortPair(InetAddress ip) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = 36000 + 2 * ThreadLocalRandom.current().nextInt(1500);
            try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(ip, port));
                    DatagramSocket b = new DatagramSocket(new InetSocketAddress(ip, port + 1))) {
                return port;
            } catch (IOException taken) {
                // try another pair
            }
        }
        throw new IOException("no free UDP port pair on " + ip.getHostAddress());
    }

    /** Stops the peer: politely, then forcibly after 5 s. */
    @Override
    public void close() throws InterruptedException {
        CoturnTools.stop(process);
    }
}
