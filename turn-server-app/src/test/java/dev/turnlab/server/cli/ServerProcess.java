package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.testing.tools.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code turn-server} in a JVM of its own (signals reach it as they reach the runnable jar), with the jar's logging
 * configuration, on 127.0.0.1 with a free block of relay ports, its standard output and error collected.
 */
final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening: udp 127\\.0\\.0\\.1:(\\d+)");
    private static final long WAIT_SECONDS = 60;

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private ServerProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "server-output");
        reader.start();
    }

    /** Starts Main with {@code --listen 127.0.0.1 --port 0 --relay-ports (free block)} and {@code args}. */
    static ServerProcess start(String... args) throws IOException {
        Path logging = Path.of("src/main/shade/logback.xml").toAbsolutePath();
        assertThat(logging).as("the runnable jar's logging configuration").exists();
        FreePorts.Block relays = FreePorts.udpBlock(20);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=" + logging,
                Main.class.getName(), "--listen", "127.0.0.1", "--port", "0",
                "--relay-ports", relays.min() + "-" + relays.max()));
        command.addAll(List.of(args));
        return new ServerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    Process process() {
        return process;
    }

    /** What it printed so far. */
    String output() {
        return output.toString();
    }

    /** Its UDP listener, once the banner says where. */
    InetSocketAddress udpAddress() throws InterruptedException {
        Matcher m = LISTENING.matcher(awaitOutput("listening: udp 127.0.0.1:"));
        assertThat(m.find()).as("output:%n%s", output).isTrue();
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
    }

    /** The output so far, once it contains {@code text} (at most 60 s). */
    String awaitOutput(String text) throws InterruptedException {
        return awaitOutput(0, text);
    }

    /** The output so far, once it contains {@code text} after its first {@code from} characters (at most 60 s). */
    String awaitOutput(int from, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            String now = output.toString();
            if (now.indexOf(text, from) >= 0) {
                return now;
            }
            if (!process.isAlive() && !reader.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no \"" + text + "\" within " + WAIT_SECONDS + " s; output:\n" + output);
    }

    /** Sends signal {@code name} ({@code HUP}, {@code TERM}) with the {@code kill} command. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true).start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /** Whether it exited within 60 s. */
    boolean exited() throws InterruptedException {
        boolean exited = process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
        if (exited) {
            reader.join(10_000); // its last lines
        }
        return exited;
    }

    /** Kills it if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.toHandle().destroyForcibly();
        }
        reader.join(10_000);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                output.append(line).append('\n');
            }
        } catch (IOException e) {
            output.append("(output unreadable: ").append(e).append(")\n");
        }
    }
}
