package dev.turnlab.benchmarks.compare;

import java.util.Locale;

/** A figure the comparison reports, with its unit and how it is printed. */
enum Figure {
    SESSIONS_READY("sessions set up", "", 0),
    SETUP_SECONDS("time to set them up", "s", 2),
    SETUP_RATE("setup rate", "allocations/s", 0),
    HEAP_PER_ALLOCATION("live heap per idle allocation", "bytes", 0),
    RSS_BEFORE("resident memory before the setup", "MiB", 1),
    RSS_AFTER("resident memory with the allocations held", "MiB", 1),
    RSS_PER_ALLOCATION("resident memory growth per idle allocation", "bytes", 0),
    OFFERED("offered", "packets/s", 0),
    GOODPUT("goodput (echoed)", "packets/s", 0),
    MBIT("goodput", "Mbit/s of payload", 2),
    LOSS("loss", "%", 3),
    RTT_P50("round trip p50", "µs", 0),
    RTT_P99("round trip p99", "µs", 0),
    RTT_P999("round trip p99.9", "µs", 0),
    SERVER_CPU("server CPU", "% of one core", 1),
    CPU_PER_PACKET("server CPU per echoed packet", "µs", 2),
    UCLIENT_SENT("messages sent", "", 0),
    UCLIENT_RECEIVED("messages received", "", 0),
    UCLIENT_LOSS("lost", "%", 3),
    UCLIENT_RTT("average round trip", "ms", 3),
    UCLIENT_RTT_MAX("largest round trip", "ms", 0),
    UCLIENT_JITTER("average jitter", "ms", 3),
    UCLIENT_CPU_PER_MESSAGE("server CPU per echoed message, whole run", "µs", 2);

    private final String label;
    private final String unit;
    private final int decimals;

    Figure(String label, String unit, int decimals) {
        this.label = label;
        this.unit = unit;
        this.decimals = decimals;
    }

    /** What the table's first column says, with the unit. */
    String label() {
        return unit.isEmpty() ? label : label + " (" + unit + ")";
    }

    /** A value of this figure as printed. */
    String format(double value) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}
