package dev.turnlab.server.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-file FILE} and {@code --no-stdout-log}, as coturn has them: the server's log also goes to a
 * file, appended to under its name as given (coturn's {@code --simple-log}: rotate it with logrotate's
 * {@code copytruncate}), and with {@code --no-stdout-log} only there. Undone by {@link #close()}, so that a
 * server run inside a test leaves the logging as it found it.
 */
final class LogFile implements AutoCloseable {

    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0}: %msg%n";

    private final Logger root;
    private final FileAppender<ILoggingEvent> file;
    private final List<Appender<ILoggingEvent>> detached;

    private LogFile(Logger root, FileAppender<ILoggingEvent> file, List<Appender<ILoggingEvent>> detached) {
        this.root = root;
        this.file = file;
        this.detached = detached;
    }

    /**
     * Starts logging to {@code path}; with {@code noStdout}, stops logging to the console.
     *
     * @throws IllegalArgumentException with one line when the file cannot be written or the logging is not Logback
     */
    static LogFile open(Path path, boolean noStdout) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            throw new IllegalArgumentException("log-file: the logging in use is not Logback's, configure it instead");
        }
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.newOutputStream(path, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)
                    .close();
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("log-file: cannot write " + path + " (" + e.getMessage() + ")", e);
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("log-file");
        appender.setFile(path.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        List<Appender<ILoggingEvent>> detached = new ArrayList<>();
        if (noStdout) {
            for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext();) {
                Appender<ILoggingEvent> a = it.next();
                if (a instanceof ConsoleAppender) {
                    detached.add(a);
                }
            }
            detached.forEach(root::detachAppender);
        }
        return new LogFile(root, appender, detached);
    }

    /** Stops writing the file and gives the console its log back. */
    @Override
    public void close() {
        detached.forEach(root::addAppender);
        root.detachAppender(file);
        file.stop();
    }
}
