package dev.turnlab.server;

/** An inclusive range of relay ports, such as the Expressway-E's 24000-29999 (RFC 8656 §7.2). */
public record PortRange(int min, int max) {

    /** The Expressway-E's default relay range, 24000-29999. */
    public static final PortRange EXPRESSWAY = new PortRange(24000, 29999);

    /** Checks {@code 1 <= min <= max <= 65535} with a message naming the range. */
    public PortRange {
        if (min < 1 || max > 65535) {
            throw new IllegalArgumentException("relayPorts: " + min + "-" + max + " (expected: ports in 1-65535)");
        }
        if (min > max) {
            throw new IllegalArgumentException("relayPorts: " + min + "-" + max + " (expected: min <= max)");
        }
    }

    /** Parses {@code MIN-MAX}. */
    public static PortRange parse(String text) {
        int dash = text.indexOf('-');
        if (dash <= 0 || dash == text.length() - 1) {
            throw new IllegalArgumentException("relayPorts: " + text + " (expected: MIN-MAX, e.g. 24000-29999)");
        }
        try {
            return new PortRange(Integer.parseInt(text.substring(0, dash).trim()),
                    Integer.parseInt(text.substring(dash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("relayPorts: " + text + " (expected: MIN-MAX, e.g. 24000-29999)");
        }
    }

    /** How many ports the range holds. */
    public int size() {
        return max - min + 1;
    }

    /** Whether {@code port} lies in the range. */
    public boolean contains(int port) {
        return port >= min && port <= max;
    }

    @Override
    public String toString() {
        return min + "-" + max;
    }
}
