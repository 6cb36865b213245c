package dev.turnlab.server.handler;

import java.util.regex.Pattern;

/**
 * Makes attacker-supplied text (USERNAME, REALM, SOFTWARE, decoder reasons) safe for a log line: quoted,
 * with quotes, backslashes and every control or line-breaking character escaped, and cut to a bounded
 * length, so that a client can neither forge a log line nor make one huge.
 */
public final class LogText {

    /** The most characters of one value that reach the log. */
    static final int MAX_CHARS = 128;

    private static final Pattern NATIVE_PREFIX = Pattern.compile("^\\w+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ");

    private LogText() {
    }

    /** {@code value} in double quotes with escapes, or {@code -} for null. */
    public static String quote(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_CHARS) + 8).append('"');
        escape(value, out);
        return out.append('"').toString();
    }

    /**
     * The system's reason for a socket error, such as "Address already in use", without the native call and
     * errno that Netty's epoll transport puts first ("bind(..) failed with error(-98): "); not escaped.
     */
    public static String socketError(Throwable cause) {
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return NATIVE_PREFIX.matcher(message).replaceFirst("");
    }

    /**
     * {@code value} cut to {@link #MAX_CHARS} characters, with the length it had when longer, not escaped: a
     * value of a structured log event, which the log's encoder escapes as its format needs; null stays null.
     */
    public static String bounded(String value) {
        return value == null || value.length() <= MAX_CHARS ? value
                : value.substring(0, MAX_CHARS) + "...(" + value.length() + " chars)";
    }

    /** {@code value} with escapes but no quotes, for free-text reasons. */
    public static String escape(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_CHARS) + 4);
        escape(value, out);
        return out.toString();
    }

    private static void escape(String value, StringBuilder out) {
        appendEscaped(value, MAX_CHARS, out);
        if (value.length() > MAX_CHARS) {
            out.append("...(").append(value.length()).append(" chars)");
        }
    }

    /**
     * Appends the first {@code maxChars} characters of {@code value} with quotes, backslashes and every
     * unsafe character escaped as a backslash and a letter or a four-digit hex code, as a JSON string (RFC 8259
     * §7) escapes them.
     */
    public static void appendEscaped(String value, int maxChars, StringBuilder out) {
        int n = Math.min(value.length(), maxChars);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (isUnsafe(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    /**
     * C0 and C1 controls, DEL, the Unicode line and paragraph separators, bidirectional overrides and
     * surrogates: anything a terminal or log viewer might render as a break or reorder. The admin endpoint's
     * JSON escapes the same characters.
     */
    public static boolean isUnsafe(char c) {
        return c < 0x20 || c >= 0x7F && c <= 0x9F || c == 0x2028 || c == 0x2029
                || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069 || Character.isSurrogate(c);
    }
}
