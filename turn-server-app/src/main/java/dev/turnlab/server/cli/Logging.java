package dev.turnlab.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The server app's logging as its options ask ({@link LoggingOptions}): the line format on standard output,
 * the level, a log file (rotated by size or left to logrotate), no standard output, syslog. Undone by
 * {@link #close()}, so that a server run inside a test leaves the logging as it found it.
 */
final class Logging implements AutoCloseable {

    /** How often a rotating log file's size is looked at. */
    private static final long CHECK_SIZE_MILLIS = 250;

    private final Logger root;
    private final Level level;
    private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();
    private final List<Appender<ILoggingEvent>> added = new ArrayList<>();

    private Logging(Logger root) {
        this.root = root;
        this.level = root.getLevel();
    }

    /**
     * Applies {@code options} to Logback's root logger.
     *
     * @throws IllegalArgumentException with one line when the file cannot be written or the logging is not Logback's
     */
    static Logging configure(LoggingOptions options) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            throw new IllegalArgumentException("log: the logging in use is not Logback's; configure it instead");
        }
        Logging logging = new Logging(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
        try {
            logging.apply(context, options);
        } catch (RuntimeException e) {
            logging.close();
            throw e;
        }
        return logging;
    }

    private void apply(LoggerContext context, LoggingOptions options) {
        LogLineEncoder.Format format = options.format();
        Path file = options.file();
        if (file != null) {
            writable(file);
            add(file(context, file, options, encoder(context, format)));
        }
        if (options.syslog() != null) {
            add(SyslogAppender.start(context, options.syslog(), encoder(context, LogLineEncoder.Format.LOGFMT)));
        }
        if (format != LogLineEncoder.Format.TEXT || file != null && options.noStdout()) {
            // Our console appender in the chosen format takes the place of the configured one (or none at all).
            for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext();) {
                Appender<ILoggingEvent> a = it.next();
                if (a instanceof ConsoleAppender) {
                    detached.add(a);
                }
            }
            detached.forEach(root::detachAppender);
            if (!(file != null && options.noStdout())) {
                ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
                console.setContext(context);
                console.setName("console-" + format.name().toLowerCase(java.util.Locale.ROOT));
                console.setEncoder(encoder(context, format));
                console.start();
                add(console);
            }
        }
        if (options.level() != null) {
            root.setLevel(options.level());
        }
    }

    private void add(Appender<ILoggingEvent> appender) {
        root.addAppender(appender);
        added.add(appender);
    }

    private static LogLineEncoder encoder(LoggerContext context, LogLineEncoder.Format format) {
        LogLineEncoder encoder = new LogLineEncoder();
        encoder.setContext(context);
        encoder.use(format);
        encoder.start();
        return encoder;
    }

    private static FileAppender<ILoggingEvent> file(LoggerContext context, Path file, LoggingOptions options,
            LogLineEncoder encoder) {
        Long rotateAt = options.fileSize();
        FileAppender<ILoggingEvent> appender = rotateAt == null ? new FileAppender<>() : new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("log-file");
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        if (appender instanceof RollingFileAppender<ILoggingEvent> rolling) {
            // FILE, then FILE.1 … FILE.N, as --capture rotates: the window policy reads the file name, so after it.
            FixedWindowRollingPolicy window = new FixedWindowRollingPolicy();
            window.setContext(context);
            window.setParent(rolling);
            window.setFileNamePattern(file + ".%i");
            window.setMinIndex(1);
            window.setMaxIndex(options.files());
            SizeBasedTriggeringPolicy<ILoggingEvent> size = new SizeBasedTriggeringPolicy<>();
            size.setContext(context);
            size.setMaxFileSize(new FileSize(rotateAt));
            // Logback looks at the size once a minute by default; a busy log would overshoot by far.
            size.setCheckIncrement(ch.qos.logback.core.util.Duration.buildByMilliseconds(CHECK_SIZE_MILLIS));
            rolling.setRollingPolicy(window);
            rolling.setTriggeringPolicy(size);
            window.start();
            size.start();
        }
        appender.start();
        return appender;
    }

    /** Creates {@code file} and its directory if needed, so that an unwritable path is one line at start. */
    private static void writable(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream o = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                o.flush();
            }
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("log-file: cannot write " + file + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Opens the log file again under its name, as coturn does on SIGHUP: after logrotate has moved it away
     * (without {@code copytruncate}) the lines go to a new file instead of the moved one.
     */
    void reopen() {
        for (Appender<ILoggingEvent> a : added) {
            if (a instanceof FileAppender<ILoggingEvent> file) {
                try {
                    file.openFile(file.getFile()); // closes the old stream; a restart would trip Logback's file-collision check
                    root.info("log file reopened: {}", file.getFile());
                } catch (IOException e) {
                    root.warn("log file {} cannot be reopened, logging on to the old one: {}", file.getFile(), e.getMessage());
                }
            }
        }
    }

    /** Stops the appenders this added, gives back the ones it took away, and the level. */
    @Override
    public void close() {
        for (Appender<ILoggingEvent> a : added) {
            root.detachAppender(a);
            a.stop();
        }
        detached.forEach(root::addAppender);
        root.setLevel(level);
    }
}
