package dev.turnlab.server.fault;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The faults of a server at one moment, for {@code /metrics} and {@code /status}.
 *
 * @param active the faults switched on, in the order of {@link Fault}
 * @param dropped packets the faults dropped since the start, by {@link FaultSwitch.Drop} label
 */
public record FaultReport(List<FaultSetting> active, Map<String, Long> dropped) {

    /** No fault on, nothing dropped. */
    public static final FaultReport NONE = new FaultReport(List.of(), Map.of());

    /** Copies the list and the map, keeping their order. */
    public FaultReport {
        active = List.copyOf(active);
        dropped = Collections.unmodifiableMap(new LinkedHashMap<>(dropped));
    }

    /** Whether {@code fault} was on. */
    public boolean isOn(Fault fault) {
        return active.stream().anyMatch(s -> s.fault() == fault);
    }
}
