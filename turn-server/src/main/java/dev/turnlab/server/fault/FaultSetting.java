package dev.turnlab.server.fault;

import dev.turnlab.codec.attribute.ErrorCode;
import io.netty.util.NetUtil;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * One fault as written on the command line, in the config file and to the admin API: {@code NAME} or
 * {@code NAME=VALUE}. Parsing validates the value, so that a setting that exists is one the server can apply.
 *
 * @param fault the fault
 * @param value its value in canonical form, or null for a fault that takes none
 */
public record FaultSetting(Fault fault, String value) {

    /** The error codes {@code answer=CODE} accepts: those an Allocate can get without further attributes. */
    public static final List<Integer> ANSWERS = List.of(400, 401, 403, 430, 431, 437, 438, 440, 441, 442, 443,
            486, 500, 508);
    /** The longest {@code delay}, in milliseconds. */
    public static final int MAX_DELAY_MILLIS = 60_000;

    /** Which relay direction {@code block-relay} drops: from peers, toward peers, or both. */
    public enum Direction { IN, OUT, BOTH }

    /** A delay of {@code millis}, each datagram moved by up to {@code jitter} either way. */
    public record Delay(int millis, int jitter) {
    }

    /** Checks the value against the fault's syntax and puts it in canonical form ({@code block-relay=IN} is {@code in}). */
    public FaultSetting {
        if (fault.takesValue() != (value != null)) {
            throw invalid(fault, value);
        }
        value = value == null ? null : canonical(fault, value.strip());
    }

    /** Parses {@code NAME} or {@code NAME=VALUE}; an unknown name or a bad value is an {@link IllegalArgumentException}. */
    public static FaultSetting parse(String text) {
        String s = text == null ? "" : text.strip();
        int eq = s.indexOf('=');
        Fault fault = Fault.named(eq < 0 ? s : s.substring(0, eq).strip());
        return new FaultSetting(fault, eq < 0 ? null : s.substring(eq + 1));
    }

    private static String canonical(Fault fault, String raw) {
        try {
            return switch (fault) {
                case BLOCK_RELAY -> Direction.valueOf(raw.toUpperCase(Locale.ROOT)).name().toLowerCase(Locale.ROOT);
                case ADVERTISE -> address(raw).getHostAddress();
                case ANSWER -> Integer.toString(answerCode(raw));
                case LOSS -> percent(raw).stripTrailingZeros().toPlainString();
                case DELAY -> {
                    Delay d = delay(raw);
                    yield d.jitter() == 0 ? Integer.toString(d.millis()) : d.millis() + "~" + d.jitter();
                }
                default -> throw new AssertionError(fault);
            };
        } catch (IllegalArgumentException e) {
            throw invalid(fault, raw);
        }
    }

    /** The direction of {@code block-relay}. */
    public Direction direction() {
        return Direction.valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** The address of {@code advertise}. */
    public InetAddress address() {
        return address(value);
    }

    /** The error of {@code answer}, with the reason phrase of its RFC. */
    public ErrorCode errorCode() {
        return ErrorCode.valueOf(answerCode(value));
    }

    /** The probability of {@code loss}, in parts per million. */
    public int lossPerMillion() {
        return percent(value).multiply(BigDecimal.valueOf(10_000)).intValue();
    }

    /** The delay of {@code delay}. */
    public Delay delay() {
        return delay(value);
    }

    private static InetAddress address(String raw) {
        // A literal only: switching a fault must never wait for DNS.
        InetAddress a = NetUtil.createInetAddressFromIpAddressString(raw);
        if (a == null || a.isAnyLocalAddress() || a.isMulticastAddress()) {
            throw new IllegalArgumentException(raw);
        }
        return a;
    }

    private static int answerCode(String raw) {
        int code = Integer.parseInt(raw);
        if (!ANSWERS.contains(code)) {
            throw new IllegalArgumentException(raw);
        }
        return code;
    }

    private static BigDecimal percent(String raw) {
        BigDecimal p = new BigDecimal(raw);
        if (p.signum() <= 0 || p.compareTo(BigDecimal.valueOf(100)) > 0 || p.scale() > 4) {
            throw new IllegalArgumentException(raw);
        }
        return p;
    }

    private static Delay delay(String raw) {
        int tilde = raw.indexOf('~');
        int millis = Integer.parseInt(tilde < 0 ? raw : raw.substring(0, tilde).strip());
        int jitter = tilde < 0 ? 0 : Integer.parseInt(raw.substring(tilde + 1).strip());
        if (millis < 1 || millis > MAX_DELAY_MILLIS || jitter < 0 || jitter > millis) {
            throw new IllegalArgumentException(raw);
        }
        return new Delay(millis, jitter);
    }

    private static IllegalArgumentException invalid(Fault fault, String value) {
        String written = value == null ? fault.label() : fault.label() + "=" + value;
        String expected = switch (fault) {
            case BLOCK_RELAY -> "block-relay=in, out or both";
            case ADVERTISE -> "advertise=ADDR, a unicast IP address literal";
            case ANSWER -> "answer=CODE, one of " + ANSWERS;
            case LOSS -> "loss=PERCENT, more than 0 and at most 100";
            case DELAY -> "delay=MS or MS~JITTER, 1-" + MAX_DELAY_MILLIS + " ms, the jitter at most the delay";
            default -> fault.label() + " without a value";
        };
        return new IllegalArgumentException("fault: " + written + " (expected: " + expected + ")");
    }

    /** {@code NAME} or {@code NAME=VALUE}. */
    @Override
    public String toString() {
        return value == null ? fault.label() : fault.label() + "=" + value;
    }
}
