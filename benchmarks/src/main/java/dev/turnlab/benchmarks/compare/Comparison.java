package dev.turnlab.benchmarks.compare;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** All runs of a comparison, grouped by level (in the order they were first run) and server. */
final class Comparison {

    private final Map<String, List<Run>> byLevel = new LinkedHashMap<>();
    private final List<Run> runs;

    Comparison(List<Run> runs) {
        this.runs = List.copyOf(runs);
        for (Run r : this.runs) {
            byLevel.computeIfAbsent(r.level(), l -> new ArrayList<>()).add(r);
        }
    }

    /** Every run, in the order given. */
    List<Run> runs() {
        return runs;
    }

    /** The levels, in the order their first run was given. */
    List<String> levels() {
        return List.copyOf(byLevel.keySet());
    }

    /** The runs of one level against one server. */
    List<Run> runs(String level, String server) {
        return byLevel.getOrDefault(level, List.of()).stream().filter(r -> r.server().equals(server)).toList();
    }

    /** The figures any run of the level has, in the report's order. */
    Set<Figure> figures(String level) {
        Set<Figure> figures = EnumSet.noneOf(Figure.class);
        byLevel.getOrDefault(level, List.of()).forEach(r -> figures.addAll(r.figures().keySet()));
        return figures;
    }

    /** The level's load in words, from its first run. */
    String load(String level) {
        List<Run> runs = byLevel.getOrDefault(level, List.of());
        return runs.isEmpty() ? "" : runs.get(0).load();
    }

    /** The median and range of a figure over the rounds, when at least one run of that server has it. */
    Optional<Spread> spread(String level, String server, Figure figure) {
        List<Double> values = runs(level, server).stream().map(r -> r.figures().get(figure))
                .filter(v -> v != null && !v.isNaN()).toList();
        return values.isEmpty() ? Optional.empty() : Optional.of(Spread.of(values));
    }
}
