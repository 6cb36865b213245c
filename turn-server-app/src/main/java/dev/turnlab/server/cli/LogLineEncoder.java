package dev.turnlab.server.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.slf4j.event.KeyValuePair;

/**
 * The server's log lines, one per event, with each value of an event (its SLF4J key-value pairs: allocation id,
 * user, client, …) as a field of its own:
 * <ul>
 * <li>{@code text}: {@code 2026-12-03T13:00:00.000Z INFO  allocation: TURN allocation created id=… user=alice
 * client="udp 192.0.2.7:50000->192.0.2.1:3478"}, the message then the values in logfmt;</li>
 * <li>{@code logfmt}: the whole line in logfmt, {@code time=… level=info logger=… msg="…" id=…};</li>
 * <li>{@code json}: JSON lines, {@code {"time":…,"level":"INFO","logger":…,"msg":…,"id":…}}, numbers as
 *     numbers, every non-ASCII character escaped.</li>
 * </ul>
 * In logfmt a value is quoted when it is empty or holds a space, {@code =}, a quote, a backslash or a
 * character that is not printable ASCII, and then escaped as JSON escapes strings, so that no value a client
 * chose can forge a line or a field.
 */
public final class LogLineEncoder extends EncoderBase<ILoggingEvent> {

    /** The line formats, as {@code --log-format} names them. */
    public enum Format {
        /** A readable line: time, level, logger, message, then the values in logfmt. */
        TEXT,
        /** Every part of the line in logfmt. */
        LOGFMT,
        /** One JSON object a line. */
        JSON;

        /** The format named {@code text}, case-insensitively; an unknown name is one line. */
        public static Format parse(String text) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(text.strip())) {
                    return f;
                }
            }
            throw new IllegalArgumentException("log-format: " + text + " (expected: text, logfmt or json)");
        }
    }

    private final LogTime time = new LogTime(ZoneId.systemDefault());
    /** The width the level is padded to in text lines: the longest level names, DEBUG, ERROR and TRACE. */
    private static final int LEVEL_WIDTH = 5;
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private Format format = Format.TEXT;

    /** Sets the format by name, as logback.xml's {@code <format>} element does. */
    public void setFormat(String name) {
        this.format = Format.parse(name);
    }

    /** Sets the format (not a bean setter: Logback's configuration warns about a property with two setters). */
    public void use(Format format) {
        this.format = format;
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        if (format == Format.JSON) {
            return json(event);
        }
        StringBuilder line = new StringBuilder(256);
        if (format == Format.TEXT) {
            time.append(line, event.getTimeStamp()).append(' ');
            String level = event.getLevel().toString();
            line.append(level);
            for (int pad = level.length(); pad < LEVEL_WIDTH; pad++) {
                line.append(' ');
            }
            line.append(' ').append(shortName(event.getLoggerName())).append(": ").append(event.getFormattedMessage());
        } else {
            time.append(line.append("time="), event.getTimeStamp()).append(" level=").append(event.getLevel().toString().toLowerCase(Locale.ROOT))
                    .append(" logger=").append(event.getLoggerName()).append(" msg=");
            appendValue(line, event.getFormattedMessage());
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                line.append(' ').append(pair.key).append('=');
                appendValue(line, pair.value == null ? "" : pair.value.toString());
            }
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            if (format == Format.TEXT) {
                line.append(System.lineSeparator()).append(ThrowableProxyUtil.asString(thrown));
            } else {
                line.append(" exception=");
                appendValue(line, ThrowableProxyUtil.asString(thrown));
            }
        }
        return line.append(System.lineSeparator()).toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] json(ILoggingEvent event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            out.enable(JsonGenerator.Feature.ESCAPE_NON_ASCII);
            out.writeStartObject();
            out.writeStringField("time", time.format(event.getTimeStamp()));
            out.writeStringField("level", event.getLevel().toString());
            out.writeStringField("logger", event.getLoggerName());
            out.writeStringField("thread", event.getThreadName());
            out.writeStringField("msg", event.getFormattedMessage());
            List<KeyValuePair> pairs = event.getKeyValuePairs();
            if (pairs != null) {
                for (KeyValuePair pair : pairs) {
                    out.writeFieldName(pair.key);
                    if (pair.value == null) {
                        out.writeNull();
                    } else if (pair.value instanceof Integer || pair.value instanceof Long) {
                        out.writeNumber(((Number) pair.value).longValue());
                    } else if (pair.value instanceof Boolean b) {
                        out.writeBoolean(b);
                    } else {
                        out.writeString(pair.value.toString());
                    }
                }
            }
            if (event.getThrowableProxy() != null) {
                out.writeStringField("exception", ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bytes.write('\n');
        return bytes.toByteArray();
    }

    /** {@code dev.turnlab.server.allocation} as {@code allocation}: the last part of a logger's name. */
    private static String shortName(String logger) {
        return logger.substring(logger.lastIndexOf('.') + 1);
    }

    /** Appends {@code value} as logfmt writes a value: bare when it can be, else quoted and escaped. */
    static void appendValue(StringBuilder line, String value) {
        boolean bare = !value.isEmpty();
        for (int i = 0; i < value.length() && bare; i++) {
            char c = value.charAt(i);
            bare = c > ' ' && c < 0x7F && c != '=' && c != '"' && c != '\\';
        }
        if (bare) {
            line.append(value);
            return;
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < ' ' || c >= 0x7F) {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }
}
