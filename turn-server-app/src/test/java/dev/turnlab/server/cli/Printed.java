package dev.turnlab.server.cli;

import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a {@link Main} running in a test printed, waited for. */
final class Printed {

    private Printed() {
    }

    /** Waits up to 30 s (a loaded machine starts slowly) for {@code regex} in {@code out}; fails naming both streams. */
    static Matcher await(StringWriter out, StringWriter err, String regex) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(out.toString());
            if (m.find()) {
                return m;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no " + regex + "; out=" + out + " err=" + err);
    }
}
