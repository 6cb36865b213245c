package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** The kept second writes what DateTimeFormatter writes, across seconds, days and daylight-saving changes. */
class LogTimeTest {

    private static String reference(ZoneId zone, long millis) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(zone).format(Instant.ofEpochMilli(millis));
    }

    @Test
    void writesWhatTheFormatterWritesInEveryZone() {
        // Around noon and midnight UTC, a leap day, and Berlin's (29 March, 25 October) and New York's (8 March,
        // 1 November) 2026 daylight-saving changes, each from 1.5 s before.
        long[] starts = {1_764_763_199_990L, 1_764_806_400_000L - 10, 1_709_164_799_500L, 1_774_746_000_000L - 1_500,
            1_792_890_000_000L - 1_500, 1_772_953_200_000L - 1_500, 1_793_512_800_000L - 1_500, 0L, 999L};
        for (String name : new String[] {"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"}) {
            ZoneId zone = ZoneId.of(name);
            LogTime time = new LogTime(zone);
            for (long start : starts) {
                for (long millis = start; millis < start + 3_000; millis += 7) {
                    assertThat(time.format(millis)).as("%s at %d", name, millis).isEqualTo(reference(zone, millis));
                }
            }
        }
    }

    @Test
    void goingBackInTimeIsWrittenAsWell() {
        LogTime time = new LogTime(ZoneId.of("UTC"));
        assertThat(time.format(1_764_763_200_123L)).isEqualTo("2025-12-03T12:00:00.123Z");
        assertThat(time.format(1_764_763_199_004L)).isEqualTo("2025-12-03T11:59:59.004Z");
    }
}
