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
 * {@code allow-loopback-peers}); {@code #} starts a comment. Options on the command line win.
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
            int eq = line.indexOf('=');
            int space = line.indexOf(' ');
            int split = eq >= 0 ? eq : space;
            if (split < 0) {
                args.add("--" + line);
            } else {
                String name = line.substring(0, split).strip();
                if (name.equals("config")) {
                    throw new IllegalArgumentException("config: " + file + " line " + (i + 1) + " (expected: no nested config)");
                }
                args.add("--" + name);
                args.add(line.substring(split + 1).strip());
            }
        }
        return args;
    }

    /** The value of {@code --config FILE} or {@code --config=FILE} in {@code args}, or null. */
    static Path find(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        return null;
    }
}
