package dev.turnlab.server.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-source log rate limiting with a summary of what was suppressed, in bounded memory. */
class LogLimiterTest {

    private final List<String> summaries = new ArrayList<>();
    private final LogLimiter limiter = new LogLimiter(3, 2, (source, n) -> summaries.add(source + " " + n));

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private int admitted(InetAddress source, int attempts, long now) {
        int n = 0;
        for (int i = 0; i < attempts; i++) {
            n += limiter.admit(source, now) ? 1 : 0;
        }
        return n;
    }

    @Test
    void atMostNLinesPerSecondAndSourceThenOneSummary() throws Exception {
        assertThat(admitted(ip("192.0.2.1"), 100, 1000)).isEqualTo(3);
        assertThat(admitted(ip("192.0.2.2"), 2, 1500)).isEqualTo(2);
        assertThat(summaries).isEmpty();

        // The next second of that source: the summary of the 97 suppressed lines, and a fresh budget.
        assertThat(admitted(ip("192.0.2.1"), 1, 2000)).isEqualTo(1);
        assertThat(summaries).containsExactly("192.0.2.1 97");
    }

    @Test
    void flushReportsEndedSecondsWithoutNewTraffic() throws Exception {
        admitted(ip("192.0.2.1"), 10, 1000);
        limiter.flush(1500);
        assertThat(summaries).isEmpty();

        limiter.flush(2000);
        limiter.flush(3000);

        assertThat(summaries).containsExactly("192.0.2.1 7");
        assertThat(limiter.trackedSources()).isZero();
    }

    @Test
    void beyondTheTrackedSourcesEveryOtherSourceSharesOneBudget() throws Exception {
        admitted(ip("192.0.2.1"), 1, 1000);
        admitted(ip("192.0.2.2"), 1, 1000);
        int others = 0;
        for (int i = 3; i < 200; i++) {
            others += admitted(ip("192.0.2." + i), 1, 1000);
        }

        assertThat(others).isEqualTo(3);
        assertThat(limiter.trackedSources()).isEqualTo(2);
        limiter.flush(2000);
        assertThat(summaries).containsExactly("other sources 194");
    }

    @Test
    void zeroMeansNoLimit() throws Exception {
        LogLimiter unlimited = new LogLimiter(0, 2, (s, n) -> summaries.add(s));
        for (int i = 0; i < 100; i++) {
            assertThat(unlimited.admit(ip("192.0.2.1"), 1000)).isTrue();
        }
    }
}
