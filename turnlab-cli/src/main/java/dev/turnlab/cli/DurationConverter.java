package dev.turnlab.cli;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/**
 * A duration as an operator writes it: a number, perhaps with a fraction, and a unit of {@code ms},
 * {@code s}, {@code m} or {@code h} ({@code 500ms}, {@code 1.5s}, {@code 2m}); a bare number is seconds.
 * Never negative; {@link Positive} refuses zero as well.
 */
public class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,12}(?:\\.\\d{1,9})?)(ms|s|m|h)?");
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    /** Converts {@code value} with {@link #parse(String)}. */
    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** Parses {@code text} ({@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 0.25}); to the nanosecond. */
    public static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new InvalidValueException(text, "a duration such as 10s, 500ms or 2m");
        }
        long unitNanos = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> 1_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 1_000_000_000L;
        };
        BigInteger nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos))
                .setScale(0, RoundingMode.HALF_UP).toBigIntegerExact();
        BigInteger[] secondsAndNanos = nanos.divideAndRemainder(NANOS_PER_SECOND);
        return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValue());
    }

    /**
     * {@code d} as {@link #parse(String)} reads it back, in the largest unit that keeps it whole: {@code 2m},
     * {@code 10s}, {@code 500ms}, or seconds with a fraction below a millisecond ({@code 0.000001s}).
     */
    public static String format(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration: " + d + " (expected: not negative)");
        }
        if (d.getNano() % 1_000_000 != 0) {
            return new BigDecimal(BigInteger.valueOf(d.getSeconds()).multiply(NANOS_PER_SECOND)
                    .add(BigInteger.valueOf(d.getNano())), 9).stripTrailingZeros().toPlainString() + "s";
        }
        if (d.getNano() != 0) {
            return d.toMillis() + "ms";
        }
        long seconds = d.getSeconds();
        if (seconds != 0 && seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    /** A duration longer than zero, such as a timeout. */
    public static final class Positive extends DurationConverter {

        /** Converts {@code value}, refusing zero. */
        @Override
        public Duration convert(String value) {
            Duration d;
            try {
                d = parse(value);
            } catch (InvalidValueException e) {
                d = Duration.ZERO;
            }
            if (d.isZero()) {
                throw new InvalidValueException(value, "a positive duration such as 5s or 800ms");
            }
            return d;
        }
    }
}
