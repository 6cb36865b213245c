package dev.turnlab.benchmarks.compare;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the raw results {@code benchmarks/compare.sh} wrote (one JSON file per run, {@code meta.json}, and
 * turnutils_uclient's output) and writes the Markdown report and the SVG plot.
 *
 * <pre>java -cp benchmarks/target/turn-load.jar dev.turnlab.benchmarks.compare.CompareReport RAW_DIR REPORT.md PLOT.svg</pre>
 */
public final class CompareReport {

    /** Strict: text after the document is an error, as a truncated or concatenated file would be. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private CompareReport() {
    }

    /** Writes the report and the plot; a bad argument or an unreadable file is one line on stderr and exit 2. */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: CompareReport RAW_DIR REPORT.md PLOT.svg");
            System.exit(2);
        }
        try {
            write(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("CompareReport: " + e.getMessage());
            System.exit(2);
        }
        System.out.println("wrote " + args[1] + " and " + args[2]);
    }

    /** Reads {@code raw} and writes the two files. */
    static void write(Path raw, Path markdown, Path svg) throws IOException {
        Comparison c = new Comparison(runs(raw));
        if (c.runs().isEmpty()) {
            throw new IllegalArgumentException("no runs (r*.json) in " + raw);
        }
        Path metaFile = raw.resolve("meta.json");
        JsonNode meta = Files.exists(metaFile) ? object(metaFile) : JsonNodeFactory.instance.objectNode();
        Path parent = markdown.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(markdown, MarkdownReport.render(meta, c, relative(markdown, svg)), StandardCharsets.UTF_8);
        Files.writeString(svg, SvgPlot.render(c), StandardCharsets.UTF_8);
    }

    /** The levels compare.sh knows, in the order it runs them; others follow by name. */
    static final List<String> LEVEL_ORDER = List.of("paced", "max", "overload", "large", "tcp", "setup", "cold", "uclient");

    /** Every run file of the directory, by round, level (in {@link #LEVEL_ORDER}) and server (ours first). */
    static List<Run> runs(Path raw) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(raw)) {
            files = list.filter(p -> p.getFileName().toString().matches("r\\d+-.*\\.json")).sorted().toList();
        }
        List<Run> runs = new ArrayList<>();
        for (Path f : files) {
            JsonNode json = object(f);
            String output = null;
            String name = json.path("outputFile").textValue();
            if (name != null && Files.exists(raw.resolve(name))) {
                // turnutils_uclient prints ASCII; Latin-1 reads any byte it might add without failing.
                output = Files.readString(raw.resolve(name), StandardCharsets.ISO_8859_1);
            }
            try {
                runs.add(Run.of(json, output));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
            }
        }
        runs.sort(Comparator.comparingInt(Run::round).thenComparing(r -> levelIndex(r.level()))
                .thenComparing(Run::level).thenComparing(r -> !r.server().equals(Run.OURS)));
        return runs;
    }

    private static int levelIndex(String level) {
        int i = LEVEL_ORDER.indexOf(level);
        return i < 0 ? LEVEL_ORDER.size() : i;
    }

    /** The JSON object {@code file} holds, or a one-line refusal naming the file and where the JSON breaks. */
    static JsonNode object(Path file) throws IOException {
        JsonNode value;
        try {
            value = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException(file + ": JSON: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()), e);
        }
        if (value == null || !value.isObject()) {
            throw new IllegalArgumentException(file + ": not a JSON object");
        }
        return value;
    }

    private static String relative(Path markdown, Path svg) {
        Path from = markdown.toAbsolutePath().getParent();
        return from == null ? svg.toString() : from.relativize(svg.toAbsolutePath()).toString();
    }
}
