package dev.turnlab.testing.tools;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports that a test can bind on loopback without colliding with other tests, builds or the kernel.
 *
 * <p>Relay ranges are chosen below Linux's ephemeral range (32768-60999 by default), in
 * {@value #LOWEST}-{@value #HIGHEST}: ephemeral ports are what every {@code bind(0)} of every parallel
 * build takes, so a relay range in there collides sooner or later, and a fixed range collides with a second
 * build of the same project. A random block there is probed by binding every port of it at once (UDP, on
 * the wildcard address, so that a socket on any local address conflicts) and used only if all binds
 * succeed; otherwise another random block is tried.
 */
public final class FreePorts {

    /** The lowest port a relay block starts at. */
    public static final int LOWEST = 20_000;
    /** The highest port a relay block reaches: the last one below the ephemeral range. */
    public static final int HIGHEST = 32_767;

    private static final int ATTEMPTS = 50;

    private FreePorts() {
    }

    /** A block of ports, {@code min} to {@code max} inclusive. */
    public record Block(int min, int max) {

        /** Validates the block. */
        public Block {
            if (min < 1 || max > 65_535 || min > max) {
                throw new IllegalArgumentException("block: " + min + "-" + max + " (expected: 1 <= min <= max <= 65535)");
            }
        }

        /** How many ports the block holds. */
        public int size() {
            return max - min + 1;
        }
    }

    /**
     * {@code size} consecutive UDP ports, free when probed, in {@value #LOWEST}-{@value #HIGHEST}: a relay
     * range for a server under test. Another process may still take one of them later; a TURN server skips
     * a relay port it cannot bind.
     */
    public static Block udpBlock(int size) throws IOException {
        int span = HIGHEST - LOWEST + 1;
        if (size < 1 || size > span / 4) {
            throw new IllegalArgumentException("size: " + size + " (expected: 1 to " + span / 4 + ")");
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int min = LOWEST + ThreadLocalRandom.current().nextInt(span - size + 1);
            if (allFree(min, size)) {
                return new Block(min, min + size - 1);
            }
        }
        throw new IOException("no " + size + " consecutive free UDP ports in " + LOWEST + "-" + HIGHEST
                + " after " + ATTEMPTS + " random blocks");
    }

    /** An ephemeral port of 127.0.0.1 free on both TCP and UDP when probed, for a server that listens on both. */
    public static int tcpAndUdp() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, loopback)) {
                port = s.getLocalPort();
            }
            try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(loopback, port))) {
                return port;
            } catch (IOException taken) {
                // the UDP port is in use: try another
            }
        }
        throw new IOException("no port free on both TCP and UDP after " + ATTEMPTS + " tries");
    }

    private static boolean allFree(int min, int size) {
        List<DatagramSocket> held = new ArrayList<>(size);
        try {
            for (int port = min; port < min + size; port++) {
                DatagramSocket s = new DatagramSocket(null);
                held.add(s);
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(port));
            }
            return true;
        } catch (IOException taken) {
            return false;
        } finally {
            held.forEach(DatagramSocket::close);
        }
    }
}
