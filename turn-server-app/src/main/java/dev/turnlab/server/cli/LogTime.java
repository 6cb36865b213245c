package dev.turnlab.server.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A log line's time, as {@code DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")} writes it in
 * {@code zone}, without that formatter's cost on every line (a field walk and a {@code BigDecimal} for the
 * fraction): the text up to the second and the zone's offset are kept for the last second written, so a
 * line adds only its milliseconds. Every allocation writes a line when it is created and when it is
 * deleted, so this is on the set-up path. Safe for concurrent use: the kept second is one immutable value.
 */
final class LogTime {

    private static final DateTimeFormatter UP_TO_SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("XXX");

    private final ZoneId zone;
    private volatile Second last = new Second(Long.MIN_VALUE, "", "");

    /** The text of one second: its time up to the second, and the zone's offset then. */
    private record Second(long epochSecond, String upToSecond, String offset) {
    }

    /** Times in {@code zone}. */
    LogTime(ZoneId zone) {
        this.zone = zone;
    }

    /** Appends the time {@code epochMillis} to {@code line}. */
    StringBuilder append(StringBuilder line, long epochMillis) {
        long epochSecond = Math.floorDiv(epochMillis, 1000);
        Second second = last;
        if (second.epochSecond() != epochSecond) {
            ZonedDateTime t = Instant.ofEpochSecond(epochSecond).atZone(zone);
            second = new Second(epochSecond, UP_TO_SECOND.format(t), OFFSET.format(t));
            last = second;
        }
        int millis = (int) Math.floorMod(epochMillis, 1000);
        return line.append(second.upToSecond()).append('.').append((char) ('0' + millis / 100))
                .append((char) ('0' + millis / 10 % 10)).append((char) ('0' + millis % 10)).append(second.offset());
    }

    /** The time {@code epochMillis} as text. */
    String format(long epochMillis) {
        return append(new StringBuilder(29), epochMillis).toString();
    }
}
