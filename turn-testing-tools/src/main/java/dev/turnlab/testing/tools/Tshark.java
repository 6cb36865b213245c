package dev.turnlab.testing.tools;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Wireshark's command-line reader, to check that captures decode as the real tool decodes them. */
public final class Tshark {

    /** Why a test is skipped when tshark is missing. */
    public static final String MISSING = "tshark is not installed and cannot be installed here: as root, run `echo "
            + "wireshark-common wireshark-common/install-setuid boolean false | debconf-set-selections && "
            + "apt-get install -y tshark` to enable this test";

    private Tshark() {
    }

    /** Whether tshark is on the PATH, installing the Debian package (preseeded, non-interactive) first when root. */
    public static boolean available() throws InterruptedException {
        if (onPath()) {
            return true;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return false;
        }
        try {
            ProcessBuilder apt = new ProcessBuilder("timeout", "300", "sh", "-c",
                    "echo wireshark-common wireshark-common/install-setuid boolean false | debconf-set-selections"
                            + " && apt-get install -y tshark")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            apt.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process install = apt.start();
            install.getOutputStream().close();
            install.waitFor(310, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        }
        return onPath();
    }

    /**
     * The values of {@code fields}, one array per packet that passes {@code filter}, with each port of
     * {@code stunPorts} decoded as STUN over UDP and TCP.
     */
    public static List<String[]> fields(Path file, List<Integer> stunPorts, String filter, String... fields)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        for (int port : stunPorts) {
            command.addAll(List.of("-d", "udp.port==" + port + ",stun", "-d", "tcp.port==" + port + ",stun"));
        }
        command.addAll(List.of("-Y", filter, "-T", "fields", "-E", "separator=|"));
        for (String f : fields) {
            command.addAll(List.of("-e", f));
        }
        Path out = Files.createTempFile("tshark", ".txt");
        Path err = Files.createTempFile("tshark", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("tshark did not finish: " + command);
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError("tshark failed (" + p.exitValue() + "): " + Files.readString(err));
            }
            List<String[]> rows = new ArrayList<>();
            for (String line : lines) {
                rows.add(line.split("\\|", -1));
            }
            return rows;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** How many packets pass {@code filter}. */
    public static int count(Path file, List<Integer> stunPorts, String filter) throws IOException, InterruptedException {
        return fields(file, stunPorts, filter, "frame.number").size();
    }

    private static boolean onPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "tshark"))) {
                return true;
            }
        }
        return false;
    }
}
