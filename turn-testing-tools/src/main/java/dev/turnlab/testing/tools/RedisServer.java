package dev.turnlab.testing.tools;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (Debian's {@code redis-server} package) on a free port of 127.0.0.1, for tests
 * of the cluster: started with no persistence of its own, stopped by its PID. {@link #stop()} saves the data
 * first, so that {@link #start()} brings the same data back, as a restarted production Redis would.
 */
public final class RedisServer implements AutoCloseable {

    /** Why the tests are skipped when Redis is missing. */
    public static final String MISSING = "redis-server/redis-cli are not installed and cannot be installed here: run "
            + "`apt-get install -y redis-server` as root to enable this test";

    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** Whether redis-server and redis-cli are on the PATH, installing the Debian package first when root. */
    public static boolean available() throws InterruptedException {
        return CoturnTools.installedFrom("redis-server", "redis-server", "redis-cli");
    }

    /** Starts a fresh Redis on a free loopback port and waits until it answers PING. */
    public static RedisServer launch() throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        RedisServer redis = new RedisServer(port, Files.createTempDirectory("turnlab-redis"));
        redis.start();
        return redis;
    }

    /** The port it listens on (the same after a restart). */
    public int port() {
        return port;
    }

    /** Its URI, {@code redis://127.0.0.1:PORT}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts it (again) on its port with the data of the last {@link #stop()}; waits until it answers. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running on " + port);
        }
        process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--dbfilename", "dump.rdb",
                "--logfile", dir.resolve("redis.log").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server on " + port + " exited with " + process.exitValue() + ": "
                        + log());
            }
            if ("PONG".equals(cliOrNull("PING"))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IOException("redis-server on " + port + " did not answer PING within 20 s: " + log());
    }

    /** Saves its data and stops it (SHUTDOWN SAVE), then waits for the process; the port is free afterwards. */
    public synchronized void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        cliOrNull("SHUTDOWN", "SAVE");
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Kills it without saving (SIGKILL), as a crash would. */
    public synchronized void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Whether its process is running. */
    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** Runs {@code redis-cli -p PORT args...} and returns what it printed, trimmed; fails on a non-zero exit. */
    public String cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("redis-cli " + String.join(" ", args) + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IOException("redis-cli " + String.join(" ", args) + " exited with " + p.exitValue() + ": " + out);
        }
        return out;
    }

    private String cliOrNull(String... args) {
        try {
            return cli(args);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Kills it and removes its directory. */
    @Override
    public void close() throws InterruptedException, IOException {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
