package dev.turnlab.benchmarks.compare;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The comparison as a Markdown page: targets, a table per level, the noise, and what ran where. */
final class MarkdownReport {

    private MarkdownReport() {
    }

    /**
     * Renders the page.
     *
     * @param meta what compare.sh recorded about the machine, versions, commands and settings
     * @param c the runs
     * @param svgName the plot's file name, linked from the page
     */
    static String render(JsonNode meta, Comparison c, String svgName) {
        StringBuilder s = new StringBuilder();
        String started = text(meta, "started");
        s.append("# turnlab's server against coturn").append(started.isEmpty() ? "" : ", " + started).append("\n\n");
        method(s, meta);
        s.append("![goodput and p99 against offered load](").append(svgName).append(")\n\n");
        targets(s, c);
        for (String level : c.levels()) {
            level(s, c, level);
        }
        noise(s, c);
        machine(s, meta);
        return s.toString();
    }

    /** How the figures were taken: where each process ran, the rounds and their order, the windows, CPU. */
    private static void method(StringBuilder s, JsonNode meta) {
        String rounds = text(meta, "rounds");
        String pinning = text(meta, "pinning");
        String order = text(meta, "order");
        s.append("## Method\n\n");
        s.append("`benchmarks/compare.sh` on loopback, turn-load as the generator, both servers with the same "
                + "credentials, realm and relay range size.\n\n");
        s.append("- **Cores**: ").append(pinning.isEmpty()
                ? "not recorded (runs before pinning existed): servers, generators and echo peers shared the cores"
                : pinning).append(".\n");
        String priority = text(meta, "priority");
        if (!priority.isEmpty()) {
            s.append("- **Priority**: ").append(priority).append(", servers and generators alike.\n");
        }
        s.append("- **Rounds**: ").append(rounds.isEmpty() ? "not recorded" : rounds)
                .append(", both servers started afresh in each; every level runs against both in every round, one "
                        + "after the other (").append(order.isEmpty() ? "ours first in odd rounds, coturn first in "
                        + "even ones" : order).append("), so that a change in the machine's load falls on both.");
        if (!rounds.isEmpty() && Integer.parseInt(rounds) < 3) {
            s.append(" **Fewer than 3 rounds: the ranges say little about the noise.**");
        }
        s.append('\n');
        s.append("- **Windows**: each level measured for ").append(text(meta, "duration")).append(" after ")
                .append(text(meta, "warmup")).append(" of sending; `cold`, a fresh server's first traffic, "
                        + "10 s after 1 s, before any other traffic; `setup` as its section says.\n");
        s.append("- **Figures**: each cell is the **median over the rounds [lowest–highest]**; the ratio is ours / "
                + "coturn of the medians. Server CPU is utime + stime of the server's process (`/proc/<pid>/stat`, "
                + "all its threads) over the middle of the measured window; per echoed packet it is that over the "
                + "packets echoed in the same time (each echoed packet crosses the relay twice, client → peer and "
                + "peer → client).\n\n");
    }

    private static void targets(StringBuilder s, Comparison c) {
        if (Targets.judge(c).isEmpty()) {
            return;
        }
        s.append("## Targets\n\n| target | level | ours | coturn | ours/coturn | verdict |\n");
        s.append("|---|---|---|---|---|---|\n");
        for (Targets.Verdict v : Targets.judge(c)) {
            s.append(String.format("| %s | %s | %s | %s | %s | %s |%n", v.target(), v.level(), v.ours(), v.coturn(),
                    v.ratio(), v.verdict().equals("met") ? "met" : "**" + v.verdict() + "**"));
        }
        s.append(String.format(Locale.ROOT, "%n*within noise*: the median misses the mark but the two ranges overlap. "
                + "Goodput within %.1f %% below coturn's counts as equal (at a paced level both echo what was "
                + "offered, and the window's edges shift the count by a few packets).%n%n",
                Targets.GOODPUT_TOLERANCE * 100));
    }

    private static void level(StringBuilder s, Comparison c, String level) {
        s.append("## ").append(level).append("\n\n").append(c.load(level)).append(".");
        if (level.equals("cold")) {
            s.append(" The first traffic a freshly started server sees, before any warm-up: not one of the levels "
                    + "the targets are about, but what a restart costs.");
        }
        s.append("\n\n");
        s.append("| figure | ours | coturn | ours/coturn |\n|---|---|---|---|\n");
        for (Figure f : c.figures(level)) {
            Optional<Spread> ours = c.spread(level, Run.OURS, f);
            Optional<Spread> theirs = c.spread(level, Run.COTURN, f);
            String ratio = "";
            if (ours.isPresent() && theirs.isPresent()) {
                double r = ours.get().ratioTo(theirs.get());
                ratio = Double.isNaN(r) ? "" : String.format(Locale.ROOT, "%.2f", r);
            }
            s.append(String.format("| %s | %s | %s | %s |%n", f.label(), Targets.show(f, ours),
                    Targets.show(f, theirs), ratio));
        }
        List<Run> fell = c.runs().stream().filter(r -> r.level().equals(level) && r.residentMemoryFell()).toList();
        if (!fell.isEmpty()) {
            s.append(String.format(Locale.ROOT, "%nResident memory was lower with the allocations held than before "
                    + "them in %s: the process returned memory to the kernel in between (a JVM after the full "
                    + "collection, malloc its freed arenas), so those runs give no growth per allocation.%n",
                    fell.stream().map(r -> "round " + r.round() + " (" + r.server() + ")")
                            .collect(Collectors.joining(", "))));
        }
        long failed = c.runs().stream().filter(r -> r.level().equals(level) && r.exitStatus() != 0).count();
        if (failed > 0) {
            s.append(String.format(Locale.ROOT, "%n%d run(s) of this level ended with a non-zero exit status "
                    + "(see the list of runs below).%n", failed));
        }
        s.append('\n');
    }

    private static void noise(StringBuilder s, Comparison c) {
        DoubleSummaryStatistics load = c.runs().stream()
                .flatMapToDouble(r -> java.util.stream.DoubleStream.of(r.load1Before(), r.load1After()))
                .filter(d -> !Double.isNaN(d)).summaryStatistics();
        s.append("## Noise\n\n");
        if (load.getCount() > 0) {
            s.append(String.format(Locale.ROOT, "The one-minute load average ranged from %.2f to %.2f over the "
                    + "runs. It counts this comparison's own server, generator and echo peer as well as whatever "
                    + "else ran on the machine; the rows are in report order (round, level, server), and `cold` "
                    + "ran first in each round. Before and after each run:%n%n", load.getMin(), load.getMax()));
        }
        s.append("| round | server | level | load average before | after | exit status |\n|---|---|---|---|---|---|\n");
        for (Run r : c.runs()) {
            s.append(String.format("| %d | %s | %s | %s | %s | %d |%n", r.round(), r.server(), r.level(),
                    r.loadBefore(), r.loadAfter(), r.exitStatus()));
        }
        s.append('\n');
    }

    private static void machine(StringBuilder s, JsonNode meta) {
        s.append("## Machine, versions, commands\n\n");
        s.append("- machine: ").append(text(meta, "machine")).append('\n');
        s.append("- Java: ").append(text(meta, "java")).append('\n');
        s.append("- ours: ").append(text(meta, "ours")).append('\n');
        s.append("- coturn: ").append(text(meta, "coturn")).append('\n');
        if (text(meta, "priority").isEmpty() && !text(meta, "nice").isEmpty() && !text(meta, "nice").equals("0")) {
            s.append("- scheduling: servers, generators and echo peer ran under `nice -n ").append(text(meta, "nice"))
                    .append("`, ahead of the other work on the machine, both servers alike\n");
        }
        s.append("- from ").append(text(meta, "started")).append(" to ").append(text(meta, "finished"))
                .append(", levels `").append(text(meta, "levels")).append("`\n\n");
        s.append("Round 1's servers (later rounds differ in ports only):\n\n```\n").append(text(meta, "oursCommand"))
                .append("\n").append(text(meta, "coturnCommand")).append("\n```\n\n");
        s.append("Live heap (ours): `jcmd <pid> GC.class_histogram` (which forces a full collection) before the "
                + "setup level and once its allocations are all in place (turn-load holding them, sending 1 "
                + "packet/s each), the difference over the relay sockets the server gained. Resident memory "
                + "(both): `VmRSS` from `/proc/<pid>/status` right after each of those readings, so that for ours "
                + "both follow a full collection; coturn's heap is in it (malloc), ours is a JVM whose resident "
                + "size follows its heap sizing rather than its live data. Where it fell, the run gives no growth "
                + "figure.\n\n");
        s.append("The generator's commands are in the raw files next to this page, one JSON file per run.\n");
    }

    /** A member of meta.json as text, a whole number without a fraction; empty when absent or null. */
    private static String text(JsonNode meta, String name) {
        JsonNode v = meta.path(name);
        if (v.isNumber() && v.asDouble() == Math.rint(v.asDouble())) {
            return Long.toString(v.asLong());
        }
        return v.isMissingNode() || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString();
    }
}
