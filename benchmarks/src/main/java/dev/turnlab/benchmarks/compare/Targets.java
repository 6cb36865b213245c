package dev.turnlab.benchmarks.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The targets the comparison judges on the medians: goodput at least coturn's at every level and 1.2 times it at
 * overload, CPU per packet at most {@link #CPU_MARK} of coturn's, p99 at most coturn's at the paced level, no
 * loss wherever coturn has none, a setup rate at least {@link #SETUP_MARK} times coturn's, and a cold server's
 * p99 at most {@link #COLD_MARK} times coturn's. "At least as much goodput" allows {@link #GOODPUT_TOLERANCE}: at a paced level both echo
 * what was offered, and what was offered in the window differs by the packets of its edges.
 */
final class Targets {

    /** The load levels the targets are about (not the first traffic of a cold server, nor setup). */
    static final List<String> LEVELS = List.of("paced", "max", "overload", "large", "tcp");
    /** Goodput within this fraction below coturn's counts as equal. */
    static final double GOODPUT_TOLERANCE = 0.001;
    /** The level where goodput must reach 1.2 times coturn's. */
    static final String OVERLOAD = "overload";
    /** The level where p99 must not exceed coturn's. */
    static final String PACED = "paced";
    /** CPU per relayed packet at most this fraction of coturn's. */
    static final double CPU_MARK = 0.7;
    /** The allocation setup rate at least this multiple of coturn's. */
    static final double SETUP_MARK = 2.0;
    /** A fresh server's first-traffic p99 at most this multiple of coturn's. */
    static final double COLD_MARK = 2.0;

    /**
     * One target at one level.
     *
     * @param target what is asked
     * @param level the level
     * @param ours our median [range]
     * @param coturn coturn's median [range]
     * @param ratio ours / coturn
     * @param verdict {@code met}, {@code not met}, {@code within noise} (median short of the mark but the
     *     ranges overlap), or {@code no data}
     */
    record Verdict(String target, String level, String ours, String coturn, String ratio, String verdict) {
    }

    private Targets() {
    }

    static List<Verdict> judge(Comparison c) {
        List<Verdict> verdicts = new ArrayList<>();
        List<String> loadLevels = c.levels().stream()
                .filter(l -> LEVELS.contains(l) && c.figures(l).contains(Figure.GOODPUT)).toList();
        for (String level : loadLevels) {
            verdicts.add(ratio(c, "goodput ≥ coturn", level, Figure.GOODPUT, 1.0 - GOODPUT_TOLERANCE, true));
        }
        if (loadLevels.contains(OVERLOAD)) {
            verdicts.add(ratio(c, "goodput ≥ 1.2 × coturn at overload", OVERLOAD, Figure.GOODPUT, 1.2, true));
        }
        for (String level : loadLevels) {
            verdicts.add(ratio(c, "CPU per packet ≤ 0.7 × coturn", level, Figure.CPU_PER_PACKET, CPU_MARK, false));
        }
        if (c.levels().contains("setup") && c.figures("setup").contains(Figure.SETUP_RATE)) {
            verdicts.add(ratio(c, "setup rate ≥ 2 × coturn", "setup", Figure.SETUP_RATE, SETUP_MARK, true));
        }
        if (c.levels().contains("cold") && c.figures("cold").contains(Figure.RTT_P99)) {
            verdicts.add(ratio(c, "cold p99 ≤ 2 × coturn", "cold", Figure.RTT_P99, COLD_MARK, false));
        }
        if (loadLevels.contains(PACED)) {
            verdicts.add(ratio(c, "p99 ≤ coturn at the paced level", PACED, Figure.RTT_P99, 1.0, false));
        }
        for (String level : loadLevels) {
            Optional<Spread> theirs = c.spread(level, Run.COTURN, Figure.LOSS);
            if (theirs.isPresent() && theirs.get().max() == 0) {
                Optional<Spread> ours = c.spread(level, Run.OURS, Figure.LOSS);
                String verdict = ours.isEmpty() ? "no data" : ours.get().max() == 0 ? "met" : "not met";
                verdicts.add(new Verdict("0 % loss where coturn has 0 %", level, show(Figure.LOSS, ours),
                        show(Figure.LOSS, theirs), "", verdict));
            }
        }
        return verdicts;
    }

    private static Verdict ratio(Comparison c, String target, String level, Figure f, double mark,
            boolean higherIsBetter) {
        Optional<Spread> ours = c.spread(level, Run.OURS, f);
        Optional<Spread> theirs = c.spread(level, Run.COTURN, f);
        String verdict = "no data";
        String ratio = "";
        if (ours.isPresent() && theirs.isPresent()) {
            double r = ours.get().ratioTo(theirs.get());
            ratio = Double.isNaN(r) ? "" : String.format(java.util.Locale.ROOT, "%.2f", r);
            boolean met = higherIsBetter ? ours.get().median() >= mark * theirs.get().median()
                    : ours.get().median() <= mark * theirs.get().median();
            boolean parity = mark <= 1.0;   // "as good as coturn", not a multiple of it
            verdict = met ? "met" : parity && ours.get().overlaps(theirs.get()) ? "within noise" : "not met";
        }
        return new Verdict(target, level, show(f, ours), show(f, theirs), ratio, verdict);
    }

    /** {@code median [min–max]}, or a dash. */
    static String show(Figure f, Optional<Spread> s) {
        if (s.isEmpty()) {
            return "–";
        }
        Spread v = s.get();
        return v.count() == 1 ? f.format(v.median())
                : f.format(v.median()) + " [" + f.format(v.min()) + "–" + f.format(v.max()) + "]";
    }
}
