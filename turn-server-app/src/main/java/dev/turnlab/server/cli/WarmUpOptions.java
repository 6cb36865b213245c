package dev.turnlab.server.cli;

import dev.turnlab.cli.DurationConverter;
import dev.turnlab.server.TurnServerConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --warm-up} and {@code --no-warm-up}: whether TURN traffic runs through a throwaway server over loopback
 * before the listeners bind, so that a fresh server's first clients meet code the JIT has compiled ({@link WarmUp});
 * {@code --warm-up-limit}: for how long at most.
 */
final class WarmUpOptions {

    /** Whether the server warms up when neither option is given. */
    static final boolean DEFAULT = false;

    @Option(names = "--warm-up", negatable = true, defaultValue = "" + DEFAULT, fallbackValue = "true",
            description = "Before the listeners bind, relay TURN traffic over loopback UDP and TCP through a throwaway "
                    + "server with the same I/O settings until the JIT has compiled it, so that the first clients meet a "
                    + "warm server (a few seconds; default: ${DEFAULT-VALUE}; see the README).")
    boolean warmUp = DEFAULT;

    @Option(names = "--warm-up-limit", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The longest a warm-up may delay the listeners, at least 1s (default 15s).")
    Duration limit;

    /** Runs the warm-up for a server configured as {@code real}, if asked for; it logs its outcome and never throws. */
    void runBefore(TurnServerConfig real) {
        WarmUp.Plan plan = limit == null ? WarmUp.Plan.DEFAULT : WarmUp.Plan.DEFAULT.limit(Main.seconds("warm-up-limit", limit));
        if (warmUp) {
            WarmUp.run(real, plan);
        }
    }
}
