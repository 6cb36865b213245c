package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** One line per event in each format, each value a field of its own, and no value able to forge a line or a field. */
class LogLineEncoderTest {

    private static final String FORGED = "mallory\nTURN allocation created id=000000000000 user=root\u2028\"x\"";

    private static LoggingEvent event(Object... keysAndValues) {
        Logger logger = new LoggerContext().getLogger("dev.turnlab.server.allocation");
        LoggingEvent e = new LoggingEvent("test", logger, Level.INFO, "TURN allocation created", null, null);
        e.setTimeStamp(1_764_763_200_000L);
        List<KeyValuePair> pairs = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            pairs.add(new KeyValuePair((String) keysAndValues[i], keysAndValues[i + 1]));
        }
        e.setKeyValuePairs(pairs);
        return e;
    }

    private static String encode(LogLineEncoder.Format format, LoggingEvent event) {
        LogLineEncoder encoder = new LogLineEncoder();
        encoder.use(format);
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void textIsTheMessageThenTheValuesInLogfmt() {
        String line = encode(LogLineEncoder.Format.TEXT, event("id", "4aee177582cb", "user", "alice", "client",
                "udp 192.0.2.7:50000->192.0.2.1:3478", "lifetime", 600L));

        assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S+ INFO  allocation: TURN allocation created"
                + " id=4aee177582cb user=alice client=\"udp 192.0.2.7:50000->192.0.2.1:3478\" lifetime=600\\R");
    }

    @Test
    void logfmtQuotesWhatNeedsQuotesAndEscapesEverythingThatCouldBreakTheLine() {
        String line = encode(LogLineEncoder.Format.LOGFMT, event("user", FORGED, "software", "", "realm", "a=b"));

        assertThat(line.lines()).hasSize(1);
        assertThat(line).contains(" level=info logger=dev.turnlab.server.allocation msg=\"TURN allocation created\" ",
                "user=\"mallory\\nTURN allocation created id=000000000000 user=root\\u2028\\\"x\\\"\"",
                "software=\"\"", "realm=\"a=b\"");
    }

    @Test
    void jsonIsOneObjectALineWithAFieldPerValueAndNumbersAsNumbers() throws Exception {
        String line = encode(LogLineEncoder.Format.JSON, event("id", "4aee177582cb", "user", FORGED, "lifetime", 600L,
                "software", null));

        assertThat(line.lines()).hasSize(1);
        assertThat(line).doesNotContain("\u2028").endsWith("}\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("msg").asText()).isEqualTo("TURN allocation created");
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("logger").asText()).isEqualTo("dev.turnlab.server.allocation");
        assertThat(json.get("id").asText()).isEqualTo("4aee177582cb");
        assertThat(json.get("user").asText()).isEqualTo(FORGED);
        assertThat(json.get("lifetime").isIntegralNumber()).isTrue();
        assertThat(json.get("software").isNull()).isTrue();
    }

    @Test
    void anUnknownFormatIsOneLine() {
        assertThatThrownBy(() -> LogLineEncoder.Format.parse("xml")).hasMessage("log-format: xml (expected: text, logfmt or json)");
        assertThat(LogLineEncoder.Format.parse(" JSON ")).isEqualTo(LogLineEncoder.Format.JSON);
    }
}
