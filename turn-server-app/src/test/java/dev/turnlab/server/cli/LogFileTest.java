package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.io.PrintWriter;
import java.io.StringWriter;
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

/** coturn's {@code --log-file} (also {@code -l} and {@code log-file=} in turnserver.conf) and {@code --no-stdout-log}. */
class LogFileTest {

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

    private Future<Integer> start(String... args) {
        return executor.submit(() -> Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), stop));
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

    @Test
    void theLogGoesToTheFileTooAndOnlyThereWithNoStdoutLogUntilTheServerStops() throws Exception {
        Path log = dir.resolve("logs/turn.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "an earlier line\n");
        List<Appender<ILoggingEvent>> before = consoleAppenders();

        Future<Integer> status = start("--port", "0", "--no-tls", "--listen", "127.0.0.1", "-l", log.toString(),
                "--no-stdout-log");
        Printed.await(out, err, "listening: udp");

        assertThat(Files.readString(log, StandardCharsets.UTF_8)).startsWith("an earlier line\n")
                .containsPattern("INFO  Main: started: udp 127\\.0\\.0\\.1:\\d+");
        assertThat(consoleAppenders()).isEmpty();
        stop.countDown();
        assertThat(status.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(consoleAppenders()).containsExactlyElementsOf(before);
        assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("TURN server stopped");
    }

    @Test
    void stdoutAsTheFileNameIsStandardOutputAndAFileThatCannotBeWrittenIsOneLineAndStatus2() throws Exception {
        Future<Integer> status = start("--port", "0", "--no-tls", "--listen", "127.0.0.1", "--log-file", "stdout");
        Printed.await(out, err, "listening: udp");
        assertThat(dir.resolve("stdout")).doesNotExist();
        stop.countDown();
        assertThat(status.get(30, TimeUnit.SECONDS)).isZero();

        Path blocked = dir.resolve("a-file");
        Files.writeString(blocked, "");
        StringWriter e2 = new StringWriter();
        int code = Main.run(new String[] {"--port", "0", "--no-tls", "--log-file", blocked.resolve("turn.log").toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(e2, true), new CountDownLatch(1));
        assertThat(code).isEqualTo(2);
        assertThat(e2.toString().lines()).singleElement().asString().startsWith("turn-server: log-file: cannot write ");
    }
}
