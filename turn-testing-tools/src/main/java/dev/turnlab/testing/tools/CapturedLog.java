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

    /** The messages logged so far, formatted, in order. */
    public List<String> lines() {
        synchronized (appender.list) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** The messages logged so far at {@code level} or above, formatted. */
    // Logback stays an optional, non-transitive dependency of the module: whoever passes a Level reads it already.
    @SuppressWarnings("exports")
    public List<String> linesAtLeast(Level level) {
        synchronized (appender.list) {
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(level))
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
