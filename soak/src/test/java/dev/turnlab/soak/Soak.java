package dev.turnlab.soak;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The soak's settings (system properties, so that {@code soak/run.sh} can lengthen them) and its waiting. */
final class Soak {

    /** Allocations kept alive at once (default 6000). */
    static final int ALLOCATIONS = Integer.getInteger("soak.allocations", 6000);
    /** How long they are kept alive with refreshes (default 40 s; a release night: 3600). */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(Long.getLong("soak.seconds", 40));
    /** Cycles of allocation churn at the quotas (default 5). */
    static final int CHURN_CYCLES = Integer.getInteger("soak.churnCycles", 5);
    /** How long the TCP attack lasts: longer than the server's 60 s idle timeout (default 80 s). */
    static final Duration ATTACK = Duration.ofSeconds(Long.getLong("soak.attackSeconds", 80));

    private Soak() {
    }

    /** Waits until {@code condition} holds or {@code timeout} passes, polling; returns whether it held. */
    static boolean await(Duration timeout, Check condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        return true;
    }

    /** A condition that may fail to be read. */
    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    /** Prints a figure for the release report. */
    static void report(String what, Object value) {
        System.out.println("SOAK " + what + ": " + value);
    }

}
