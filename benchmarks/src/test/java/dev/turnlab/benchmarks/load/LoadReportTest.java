package dev.turnlab.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnlab.benchmarks.load.LoadConfig.Mode;
import dev.turnlab.benchmarks.load.LoadConfig.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** turn-load's JSON report on a fixed run, read back by Jackson: every figure under its name, one line. */
class LoadReportTest {

    private static LoadReport report(int rate, String message) {
        LoadConfig config = new LoadConfig(new InetSocketAddress("127.0.0.1", 3478), "u", "p", null, Transport.UDP, 10,
                160, rate, Duration.ofSeconds(10), Duration.ofSeconds(2), Mode.CHANNEL, null, 16, 1, 64,
                Duration.ofSeconds(20), Duration.ofSeconds(240), 0);
        Histogram rtt = new Histogram(SessionStats.MAX_RTT_MICROS, 3);
        rtt.recordValue(400);
        rtt.recordValue(900);
        Tally tally = new Tally(5000, 4990, 1, 2, 0, 3, 4, 5, 6, 7, 8, 9, rtt);
        TreeMap<String, Integer> failures = new TreeMap<>();
        failures.put("486", 2);
        failures.put("timeout", 1);
        return new LoadReport(config, "epoll", "127.0.0.1:9000", 7, 0.5, failures, tally, 12.3456, 2, message);
    }

    @Test
    void everyFigureReadsBackUnderItsName() throws Exception {
        String text = report(50, "3 of 10 sessions failed to set up: \"quoted\"\n").json();
        JsonNode json = new ObjectMapper().readTree(text);

        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("server", "transport", "mode", "io", "peer", "sessions", "payloadBytes",
                "ratePerSession", "window", "durationSeconds", "warmupSeconds", "ready", "setupFailed", "setupFailures",
                "setupSeconds", "setupRate", "packetsPerSecond", "mbitPerSecond", "sent", "echoed", "lossPercent",
                "duplicates", "reordered", "corrupt", "malformed", "socketErrors", "unsent", "givenUp", "refreshes",
                "refreshFailures", "rttMicros", "cpuPercent", "cpuMicrosPerPacket", "cores", "message");
        assertThat(json.get("server").asText()).isEqualTo("127.0.0.1:3478");
        assertThat(json.get("mode").asText()).isEqualTo("channel");
        assertThat(json.get("ratePerSession").asInt()).isEqualTo(50);
        assertThat(json.get("setupFailed").asInt()).isEqualTo(3);
        assertThat(json.at("/setupFailures/486").asInt()).isEqualTo(2);
        assertThat(json.get("setupRate").asDouble()).isEqualTo(14.0);
        assertThat(json.get("packetsPerSecond").asDouble()).isEqualTo(499.0);
        assertThat(json.get("echoed").asLong()).isEqualTo(4990);
        assertThat(json.get("refreshFailures").asLong()).isEqualTo(9);
        assertThat(json.at("/rttMicros/max").asLong()).isBetween(900L, 901L);
        assertThat(json.get("message").asText()).isEqualTo("3 of 10 sessions failed to set up: \"quoted\"\n");
        // Fractions keep their three decimals, as the raw results compare.sh keeps have them.
        assertThat(text).contains("\"cpuPercent\":12.346,", "\"durationSeconds\":10.000,").doesNotContain("\n")
                .startsWith("{\"server\":").endsWith("}");
    }

    @Test
    void aClosedLoopSaysMaxAndNoMessageIsNull() throws Exception {
        JsonNode json = new ObjectMapper().readTree(report(LoadConfig.MAX_RATE, null).json());

        assertThat(json.get("ratePerSession").asText()).isEqualTo("max");
        assertThat(json.get("message").isNull()).isTrue();
    }
}
