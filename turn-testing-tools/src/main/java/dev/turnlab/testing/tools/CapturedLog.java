package dev.turnlab.testing.tools;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * What a logger and its children log during each test, for {@code @RegisterExtension}; by default the lines under
 * {@code dev.turnlab.server}. Needs Logback as the test's SLF4J binding (an optional dependency of this module).
 */
public final class CapturedLog implements BeforeEachCallback, AfterEachCallback {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger server;

    /** Captures what {@code dev.turnlab.server} and its children log. */
    public CapturedLog() {
        this("dev.turnlab.server");
    }

    /** Captures what the logger {@code name} and its children log. */
    public CapturedLog(String name) {
        this.server = (Logger) LoggerFactory.getLogger(name);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        appender.start();
        server.addAppender(appender);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.detachAppender(appender);
    }

    /**
     * The events logged so far, in order, each as its formatted message followed by its key-value pairs in
     * logfmt ({@code TURN allocation created id=… user=alice client="udp …"}), as the server app writes them.
     */
    public List<String> lines() {
        // ListAppender appends under AppenderBase's lock on itself (doAppend is synchronized), not the list's:
        // reading under the list's own lock let an event loop's line land mid-copy.
        synchronized (appender) {
            return appender.list.stream().map(CapturedLog::line).toList();
        }
    }

    /** {@code event}'s message, then each key-value pair as {@code key=value}, the value quoted where logfmt needs it. */
    static String line(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(event.getFormattedMessage());
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                String value = pair.value == null ? "" : pair.value.toString();
                boolean bare = !value.isEmpty() && value.chars().allMatch(c -> c > ' ' && c < 0x7F && c != '=' && c != '"'
                        && c != '\\');
                line.append(' ').append(pair.key).append('=').append(bare ? value : quoted(value));
            }
        }
        return line.toString();
    }

    /** {@code value} in quotes, with quotes, backslashes and controls escaped as in a JSON string. */
    private static String quoted(String value) {
        StringBuilder q = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> q.append(c < ' ' || c >= 0x7F ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return q.append('"').toString();
    }

    /** The messages logged so far at {@code level} or above, formatted. */
    // Logback stays an optional, non-transitive dependency of the module: whoever passes a Level reads it already.
    @SuppressWarnings("exports")
    public List<String> linesAtLeast(Level level) {
        synchronized (appender.list) {
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(level))
                    .map(CapturedLog::line).toList();
        }
    }
}
