package dev.turnlab.testing.tools;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finding, running and reading coturn's test tools ({@code turnutils_uclient}, {@code turnutils_peer}). */
public final class CoturnTools {

    /** uclient's final totals line. */
    public static final Pattern TOTALS = Pattern.compile("tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)\\s*$", Pattern.MULTILINE);
    /** uclient's loss line. */
    public static final Pattern LOST = Pattern.compile("Total lost packets (\\d+)");
    /** Why the tests are skipped when coturn is missing. */
    public static final String MISSING = "coturn's turnutils_uclient/turnutils_peer are not installed and cannot be "
            + "installed here: run `apt-get install -y coturn` as root to enable this test";

    private CoturnTools() {
    }

    /** Waits for a tool started under {@code timeout 60}; returns its exit status. */
    public static int finish(Process p) throws InterruptedException {
        if (!p.waitFor(70, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("turnutils_uclient did not finish");
        }
        return p.exitValue();
    }

    /** Ends a long-running tool such as {@code turnutils_peer}: politely, then forcibly after 5 s; null is ignored. */
    public static void stop(Process p) throws InterruptedException {
        if (p != null) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** The last match of {@code pattern} in {@code text} (uclient prints running totals, then the final ones), or null. */
    public static MatchResult last(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        MatchResult found = null;
        while (m.find()) {
            found = m.toMatchResult();
        }
        return found;
    }

    /** Whether the tools are on the PATH, installing the Debian package first when running as root. */
    public static boolean available() throws InterruptedException {
        return installed("turnutils_uclient", "turnutils_peer");
    }

    /**
     * Whether every one of {@code tools} is on the PATH, installing Debian's {@code coturn} package first
     * (bounded to 5 minutes) when one is missing and this runs as root.
     */
    static boolean installed(String... tools) throws InterruptedException {
        return installedFrom("coturn", tools);
    }

    /**
     * Whether every one of {@code tools} is on the PATH, installing the Debian package {@code debianPackage}
     * first (bounded to 5 minutes) when one is missing and this runs as root.
     */
    static boolean installedFrom(String debianPackage, String... tools) throws InterruptedException {
        if (onPath(tools)) {
            return true;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return false;
        }
        try {
            ProcessBuilder apt = new ProcessBuilder("timeout", "300", "apt-get", "install", "-y", debianPackage)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            apt.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process install = apt.start();
            install.getOutputStream().close();
            install.waitFor(310, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        }
        return onPath(tools);
    }

    private static boolean onPath(String... tools) {
        for (String tool : tools) {
            if (!onPath(tool)) {
                return false;
            }
        }
        return true;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
