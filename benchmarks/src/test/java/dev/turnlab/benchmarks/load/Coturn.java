package dev.turnlab.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * coturn's {@code turnserver}, started hermetically on loopback for one test class: no config file, its
 * database, pid file and log in a temp directory, loopback peers allowed, and stopped by its PID.
 */
final class Coturn implements AutoCloseable {

    static final String USER = "loaduser";
    static final String PASSWORD = "loadpass";
    static final String REALM = "turnlab.test";

    private final Process process;
    private final InetSocketAddress address;
    private final Path dir;

    private Coturn(Process process, InetSocketAddress address, Path dir) {
        this.process = process;
        this.address = address;
        this.dir = dir;
    }

    /** Whether a {@code turnserver} binary is on this machine. */
    static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/turnserver"))
                || Files.isExecutable(Path.of("/usr/local/bin/turnserver"));
    }

    /** Starts turnserver on a free loopback port and waits until it accepts TCP connections. */
    static Coturn start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("turn-load-coturn");
        int port = freePort();
        int minPort = 41_000 + ThreadLocalRandom.current().nextInt(0, 35) * 200;
        List<String> command = List.of("turnserver", "-n",
                "--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1",
                "--listening-port", Integer.toString(port),
                "--min-port", Integer.toString(minPort), "--max-port", Integer.toString(minPort + 199),
                "--lt-cred-mech", "--user", USER + ":" + PASSWORD, "--realm", REALM,
                "--no-cli", "--no-tls", "--no-dtls", "--no-rfc5780", "--allow-loopback-peers",
                "--userdb", dir.resolve("turndb").toString(), "--pidfile", dir.resolve("turnserver.pid").toString(),
                "--log-file", dir.resolve("turnserver.log").toString(), "--simple-log", "--no-stdout-log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        Coturn coturn = new Coturn(process, new InetSocketAddress("127.0.0.1", port), dir);
        try {
            coturn.awaitListening();
        } catch (IOException | RuntimeException e) {
            coturn.close();
            throw e;
        }
        return coturn;
    }

    /** Where it listens, UDP and TCP. */
    InetSocketAddress address() {
        return address;
    }

    /** Stops the server by its PID: SIGTERM, then SIGKILL after 5 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("turnserver exited with " + process.exitValue() + "; see " + dir);
            }
            try (Socket s = new Socket()) {
                s.connect(address, 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("turnserver did not listen on " + address + " within 10 s; see " + dir);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
