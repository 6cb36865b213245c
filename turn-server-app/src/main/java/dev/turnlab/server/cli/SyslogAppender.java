package dev.turnlab.server.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LevelToSyslogSeverity;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Log lines to a syslog server over UDP in the BSD format (RFC 3164 §4.1: {@code <PRI>Mmm dd hh:mm:ss HOST
 * TAG: MSG}), facility daemon, the message in logfmt. UDP because the JVM cannot write to {@code /dev/log};
 * rsyslog and syslog-ng take it with their UDP input on 514. A datagram that cannot be sent is dropped:
 * logging never blocks or fails the server.
 */
final class SyslogAppender extends AppenderBase<ILoggingEvent> {

    /** RFC 3164 §4.1.1: facility 3, system daemons. */
    private static final int DAEMON = 3;
    /** The longest datagram sent; RFC 3164 §4.1 asks for 1024 bytes, receivers today take more. */
    private static final int MAX_BYTES = 2048;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);

    private final InetSocketAddress server;
    private final LogLineEncoder encoder;
    private final String host;
    private final String tag;
    private DatagramSocket socket;

    private SyslogAppender(InetSocketAddress server, LogLineEncoder encoder) {
        this.server = server;
        this.encoder = encoder;
        this.host = hostName();
        this.tag = "turn-server[" + ProcessHandle.current().pid() + "]";
    }

    /** A started appender sending to {@code server}; one line when no UDP socket can be opened. */
    static SyslogAppender start(LoggerContext context, InetSocketAddress server, LogLineEncoder encoder) {
        SyslogAppender appender = new SyslogAppender(server, encoder);
        appender.setContext(context);
        appender.setName("syslog");
        try {
            appender.socket = new DatagramSocket();
        } catch (SocketException e) {
            throw new IllegalArgumentException("syslog: cannot open a UDP socket (" + e.getMessage() + ")", e);
        }
        appender.start();
        return appender;
    }

    @Override
    protected void append(ILoggingEvent event) {
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8).stripTrailing();
        String datagram = "<" + (DAEMON * 8 + LevelToSyslogSeverity.convert(event)) + ">"
                + TIMESTAMP.format(ZonedDateTime.now(ZoneId.systemDefault())) + " " + host + " " + tag + ": " + line;
        byte[] bytes = datagram.getBytes(StandardCharsets.UTF_8);
        try {
            socket.send(new DatagramPacket(bytes, Math.min(bytes.length, MAX_BYTES), server));
        } catch (IOException e) {
            addWarn("syslog: cannot send to " + server + ": " + e.getMessage());
        }
    }

    @Override
    public void stop() {
        super.stop();
        if (socket != null) {
            socket.close();
        }
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            int dot = name.indexOf('.');
            return dot > 0 ? name.substring(0, dot) : name;
        } catch (IOException e) {
            return "localhost";
        }
    }
}
