package dev.turnlab.server.cli;

import ch.qos.logback.classic.Level;
import dev.turnlab.cli.HostPortConverter;
import dev.turnlab.codec.capture.CaptureConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Where the log goes and how it reads: format, level, a file (rotated), standard output, syslog. */
final class LoggingOptions {

    /** Where {@code --syslog} sends without {@code --syslog-address}: the local syslog's UDP input. */
    static final InetSocketAddress LOCAL_SYSLOG = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 514);

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "text (default: readable, values in logfmt), logfmt (the whole line) or json (JSON lines, a field per value).")
    String format;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "error, warn, info (default), debug or trace.")
    String level;

    @Option(names = "--log-file", paramLabel = "FILE",
            description = "Log to this file too, appending; stdout or -: standard output only.")
    String logFile;

    @Option(names = "--log-file-size", paramLabel = "SIZE",
            description = "Rotate the log file at this size, e.g. 100MB: FILE, then FILE.1 … (default: never; or logrotate with copytruncate).")
    String logFileSize;

    @Option(names = "--log-files", paramLabel = "N", description = "Keep at most N rotated log files (default 10).")
    Integer logFiles;

    @Option(names = "--no-stdout-log", description = "With --log-file, log to the file only.")
    boolean noStdoutLog;

    @Option(names = "--syslog", description = "Log to syslog too, over UDP (RFC 3164, facility daemon) to --syslog-address.")
    boolean syslog;

    @Option(names = "--syslog-address", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "The syslog server for --syslog (default 127.0.0.1:514).")
    InetSocketAddress syslogAddress;

    /** Whether any option here asks for more than Logback's configuration already does. */
    boolean given() {
        return format != null || level != null || file() != null || syslog() != null;
    }

    LogLineEncoder.Format format() {
        return format == null ? LogLineEncoder.Format.TEXT : LogLineEncoder.Format.parse(format);
    }

    /** The level, or null to keep the configured one. */
    Level level() {
        if (level == null) {
            return null;
        }
        Level parsed = Level.toLevel(level.strip().toUpperCase(Locale.ROOT), null);
        if (parsed == null || parsed == Level.ALL || parsed == Level.OFF) {
            throw new IllegalArgumentException("log-level: " + level + " (expected: error, warn, info, debug or trace)");
        }
        return parsed;
    }

    /** The log file, or null for none. */
    Path file() {
        return logFile == null || logFile.equals("stdout") || logFile.equals("-") ? null : Path.of(logFile);
    }

    /** The size at which the file rotates, in bytes, or null. */
    Long fileSize() {
        if (logFileSize == null) {
            return null;
        }
        try {
            return CaptureConfig.parseSize(logFileSize);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("log-file-size: " + logFileSize + " (expected: a size such as 100MB)", e);
        }
    }

    int files() {
        int n = logFiles == null ? 10 : logFiles;
        if (n < 1 || n > 1000) {
            throw new IllegalArgumentException("log-files: " + n + " (expected: 1-1000)");
        }
        return n;
    }

    boolean noStdout() {
        return noStdoutLog;
    }

    /** Where syslog lines go, or null for no syslog. */
    InetSocketAddress syslog() {
        return syslog || syslogAddress != null ? (syslogAddress != null ? syslogAddress : LOCAL_SYSLOG) : null;
    }

    /** Checks every value, so that a bad one is one line before the server starts. */
    void check() {
        format();
        level();
        fileSize();
        files();
    }
}
