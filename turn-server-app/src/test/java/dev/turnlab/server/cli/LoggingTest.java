package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnlab.client.TurnClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The server app's logging options: {@code --log-file} (coturn's {@code -l}) with rotation, {@code --no-stdout-log},
 * {@code --log-format text|logfmt|json}, {@code --log-level}, {@code --syslog}; the allocation id on every line
 * about an allocation.
 */
class LoggingTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void shutdown() {
        stop.countDown();
        executor.shutdownNow();
    }

    private int start(String... options) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--no-tls", "--listen", "127.0.0.1",
                "--user", "alice:alice-secret", "--allow-loopback-peers"));
        args.addAll(List.of(options));
        status = executor.submit(() -> Main.run(args.toArray(new String[0]), new PrintWriter(out, true),
                new PrintWriter(err, true), stop));
        return Integer.parseInt(Printed.await(out, err, "listening: udp 127\\.0\\.0\\.1:(\\d+)").group(1));
    }

    private Future<Integer> status;

    private int stopped() throws Exception {
        stop.countDown();
        return status.get(30, TimeUnit.SECONDS);
    }

    private static Logger root() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static List<Appender<ILoggingEvent>> consoleAppenders() {
        List<Appender<ILoggingEvent>> consoles = new ArrayList<>();
        root().iteratorForAppenders().forEachRemaining(a -> {
            if (a instanceof ConsoleAppender) {
                consoles.add(a);
            }
        });
        return consoles;
    }

    private static void allocateAndRelease(int port) {
        try (TurnClient client = TurnClient.builder().server(new InetSocketAddress("127.0.0.1", port))
                .credentials("alice", "alice-secret").build()) {
            assertThat(client.allocate().join().isSuccess()).isTrue();
        }
    }

    @Test
    void jsonLinesInTheFileOnlyCarryTheAllocationIdOnItsCreatedAndDeletedLines() throws Exception {
        Path log = dir.resolve("logs/turn.log");
        List<Appender<ILoggingEvent>> before = consoleAppenders();
        int port = start("-l", log.toString(), "--no-stdout-log", "--log-format", "json");
        assertThat(consoleAppenders()).isEmpty();

        allocateAndRelease(port);
        assertThat(stopped()).isZero();

        assertThat(consoleAppenders()).containsExactlyElementsOf(before);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            lines.add(json.readTree(line));
        }
        JsonNode created = lines.stream().filter(l -> l.get("msg").asText().equals("TURN allocation created")).findFirst()
                .orElseThrow(() -> new AssertionError(lines.toString()));
        JsonNode deleted = lines.stream().filter(l -> l.get("msg").asText().equals("TURN allocation deleted")).findFirst()
                .orElseThrow(() -> new AssertionError(lines.toString()));
        assertThat(created.get("id").asText()).matches("[0-9a-f]{12}").isEqualTo(deleted.get("id").asText());
        assertThat(created.get("user").asText()).isEqualTo("alice");
        assertThat(created.get("lifetime").asLong()).isPositive();
        assertThat(deleted.get("reason").asText()).isEqualTo("refresh with lifetime 0");
        assertThat(lines).anySatisfy(l -> assertThat(l.get("msg").asText()).startsWith("TURN server stopped"));
    }

    @Test
    void theLevelFiltersAndTheFileRotatesBySize() throws Exception {
        Path log = dir.resolve("turn.log");
        start("--log-file", log.toString(), "--log-level", "warn", "--log-file-size", "1KB", "--log-files", "2");
        org.slf4j.Logger test = LoggerFactory.getLogger("dev.turnlab.server.LoggingTest");
        test.info("not at warn");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int i = 0; i < 2000 && !Files.exists(dir.resolve("turn.log.1")) && System.nanoTime() < deadline; i++) {
            test.atWarn().setMessage("filling the log").addKeyValue("line", i).addKeyValue("pad", "x".repeat(80)).log();
            Thread.sleep(5); // the size is looked at four times a second, not on every line
        }
        assertThat(stopped()).isZero();

        assertThat(dir.resolve("turn.log.1")).exists();
        assertThat(dir.resolve("turn.log.3")).doesNotExist();
        assertThat(Files.readString(log) + Files.readString(dir.resolve("turn.log.1")))
                .contains("WARN  LoggingTest: filling the log line=").doesNotContain("not at warn");
    }

    @Test
    void syslogGetsLogfmtLinesWithTheDaemonFacility() throws Exception {
        try (DatagramSocket syslog = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            syslog.setSoTimeout(20_000);
            int port = start("--syslog-address", "127.0.0.1:" + syslog.getLocalPort());
            allocateAndRelease(port);

            byte[] buffer = new byte[4096];
            String created = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (created == null && System.nanoTime() < deadline) {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                syslog.receive(p);
                String line = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                if (line.contains("msg=\"TURN allocation created\"")) {
                    created = line;
                }
            }
            assertThat(created).matches("<30>[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\S+ turn-server\\[\\d+\\]: time=\\S+"
                    + " level=info logger=dev\\.turnlab\\.server\\.allocation msg=\"TURN allocation created\" id=[0-9a-f]{12} user=alice .*");
        }
        assertThat(stopped()).isZero();
    }

    @Test
    void badValuesAreOneLineAndStatus2() throws Exception {
        Path blocked = dir.resolve("a-file");
        Files.writeString(blocked, "");
        for (String[] args : List.of(new String[] {"--log-format", "xml"}, new String[] {"--log-level", "loud"},
                new String[] {"--log-file", blocked.resolve("turn.log").toString()},
                new String[] {"--log-file", dir.resolve("t.log").toString(), "--log-file-size", "big"})) {
            List<String> all = new ArrayList<>(List.of("--port", "0", "--no-tls", "--listen", "127.0.0.1"));
            all.addAll(List.of(args));
            StringWriter e = new StringWriter();
            int code = Main.run(all.toArray(new String[0]), new PrintWriter(new StringWriter(), true), new PrintWriter(e, true),
                    new CountDownLatch(1));
            assertThat(code).as(String.join(" ", args)).isEqualTo(2);
            assertThat(e.toString().lines()).singleElement().asString().startsWith("turn-server: log");
        }
    }
}
