package dev.turnlab.server.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A configuration file in the style of coturn's {@code turnserver.conf}: one option per line, named as
 * on the command line without the dashes ({@code realm=TANDBERG}, {@code user=alice:secret},
 * {@code allow-loopback-peers}), or {@code name value}; {@code #} starts a comment. coturn's names are
 * understood too ({@link CoturnOptions}). Options on the command line win.
 */
final class ConfigFile {

    private ConfigFile() {
    }

    /** The file's options as command-line arguments. */
    static List<String> arguments(Path file) throws IOException {
        List<String> args = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            // coturn's forms: "name=value", "name value" and a bare "name"; the name ends at the first of them.
            int split = 0;
            while (split < line.length() && line.charAt(split) != '=' && !Character.isWhitespace(line.charAt(split))) {
                split++;
            }
            String name = line.substring(0, split);
            if (name.equals("config")) {
                throw new IllegalArgumentException("config: " + file + " line " + (i + 1) + " (expected: no nested config)");
            }
            String value = line.substring(split).strip();
            if (value.startsWith("=")) {
                value = value.substring(1).strip();
            }
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1); // coturn's quoted form: pidfile="/var/run/turnserver.pid"
            }
            args.add(split == line.length() ? "--" + name : "--" + name + "=" + value);
        }
        return args;
    }

    /** The value of {@code --config FILE} or {@code --config=FILE} in {@code args}, or null. */
    static Path find(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--config") && i + 1 < args.size()) {
                return Path.of(args.get(i + 1));
            }
            if (args.get(i).startsWith("--config=")) {
                return Path.of(args.get(i).substring("--config=".length()));
            }
        }
        return null;
    }
}
