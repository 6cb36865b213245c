package dev.turnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Durations as operators write them: units, fractions, bare seconds; the bad ones in one line. */
class DurationConverterTest {

    @ParameterizedTest
    @CsvSource({
        "10s, PT10S", "500ms, PT0.5S", "2m, PT2M", "1h, PT1H", "5, PT5S", "1.5s, PT1.5S", "0.25, PT0.25S",
        "' 800MS ', PT0.8S", "0s, PT0S", "1.5m, PT1M30S", "0.0000004ms, PT0S", "0.0000005ms, PT0.000000001S",
    })
    void readsUnitsFractionsAndBareSeconds(String text, String expected) {
        assertThat(new DurationConverter().convert(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "", "-1s", "10 s", "1d", "s", "1.s", ".5s", "1e3", "10sec", "1234567890123s"})
    void refusesAnythingElseInOneLine(String text) {
        assertThatThrownBy(() -> new DurationConverter().convert(text)).isInstanceOf(InvalidValueException.class)
                .hasMessage(text + " (expected: a duration such as 10s, 500ms or 2m)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "0ms", "soon", "-5s"})
    void thePositiveOneRefusesZeroToo(String text) {
        assertThatThrownBy(() -> new DurationConverter.Positive().convert(text))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage(text + " (expected: a positive duration such as 5s or 800ms)");
    }

    @ParameterizedTest
    @CsvSource({"PT2M, 2m", "PT10S, 10s", "PT0.5S, 500ms", "PT2H, 2h", "PT0S, 0s", "PT90S, 90s",
        "PT0.000001S, 0.000001s", "PT1.0000005S, 1.0000005s"})
    void formatsInTheLargestWholeUnit(String duration, String text) {
        assertThat(DurationConverter.format(Duration.parse(duration))).isEqualTo(text);
    }

    @Property
    void formatThenParseIsIdentity(@ForAll @LongRange(min = 0, max = 1_000_000L * 3_600_000_000_000L) long nanos) {
        Duration d = Duration.ofNanos(nanos);

        assertThat(DurationConverter.parse(DurationConverter.format(d))).isEqualTo(d);
    }

    @Property
    void wholeMillisecondsReadBackFromEveryUnit(@ForAll @LongRange(min = 0, max = 100_000_000L) long millis) {
        assertThat(DurationConverter.parse(millis + "ms")).isEqualTo(Duration.ofMillis(millis));
        assertThat(DurationConverter.parse(millis / 1000.0 + "s")).isEqualTo(Duration.ofMillis(millis));
    }
}
