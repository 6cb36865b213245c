package dev.turnlab.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The server jar ({@code turn-server-app/target/turn-server.jar}) in a process of its own on 127.0.0.1, with an
 * ephemeral port, the admin endpoint on another, and a fixed pre-touched heap, so that its resident memory
 * moves only with what it allocates outside the heap. {@link #close} ends it by its PID; so does a shutdown hook
 * if the soak JVM is interrupted first.
 */
final class ServerProcess implements AutoCloseable {

    static final Path JAR = Path.of("..", "turn-server-app", "target", "turn-server.jar");
    private static final Pattern LISTENING = Pattern.compile("turn-server listening: udp 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern ADMIN = Pattern.compile("Admin: http://127\\.0\\.0\\.1:(\\d+)/");
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    private final Process process;
    private final Thread killer;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final InetSocketAddress address;
    private final URI metrics;

    private ServerProcess(List<String> options) throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: build it first (soak/run.sh does)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-jar", JAR.toString(),
                "--listen", "127.0.0.1", "--port", "0", "--no-tls", "--realm", "soak", "--admin", "127.0.0.1:0"));
        command.addAll(options);
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        long pid = process.pid();
        killer = new Thread(() -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        Runtime.getRuntime().addShutdownHook(killer);
        Thread reader = new Thread(this::readOutput, "turn-server-" + pid + "-output");
        reader.setDaemon(true);
        reader.start();
        int port = -1;
        int admin = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((port < 0 || admin < 0) && System.nanoTime() < deadline && process.isAlive()) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                continue;
            }
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            }
            m = ADMIN.matcher(line);
            if (m.find()) {
                admin = Integer.parseInt(m.group(1));
            }
        }
        if (port < 0 || admin < 0) {
            close();
            throw new IllegalStateException("turn-server did not start within 60 s: " + lines);
        }
        address = new InetSocketAddress("127.0.0.1", port);
        metrics = URI.create("http://127.0.0.1:" + admin + "/metrics");
    }

    /** Starts the server with these options besides the listening, realm and admin ones; returns once it listens. */
    static ServerProcess start(String... options) throws IOException, InterruptedException {
        return new ServerProcess(List.of(options));
    }

    /** The UDP and TCP listening address. */
    InetSocketAddress address() {
        return address;
    }

    long pid() {
        return process.pid();
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (lines.size() < 1000) {
                    lines.add(line);
                }
            }
        } catch (IOException ignored) {
            // The process ended.
        }
    }

    /** The server's figures now: heap after a full GC, resident memory, open files, relay ports and allocations. */
    Footprint footprint() throws IOException, InterruptedException {
        jcmd("GC.run");
        Matcher heap = HEAP_USED.matcher(jcmd("GC.heap_info"));
        Matcher rss = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid()), "status")));
        long fds;
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            fds = s.count();
        }
        String text = metricsText();
        if (!heap.find() || !rss.find()) {
            throw new IllegalStateException("cannot read the heap or VmRSS of " + pid());
        }
        return new Footprint(Long.parseLong(heap.group(1)), Long.parseLong(rss.group(1)), fds,
                metric(text, "turnlab_relay_ports_in_use"), metric(text, "turnlab_allocations_active"));
    }

    /** A gauge of {@code /metrics}, or -1 when it is missing. */
    long metric(String name) throws IOException, InterruptedException {
        return metric(metricsText(), name);
    }

    private String metricsText() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)").matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }

    /** Ends the server by its PID: SIGTERM, then SIGKILL after 15 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs anyway.
        }
    }
}
