package dev.turnlab.benchmarks.auth;

import dev.turnlab.server.auth.AuthResult;
import java.util.Arrays;

/**
 * A bounded, paired measurement of {@link LoginBenchmark}'s two refusals: calls alternate (so that the
 * load of a shared machine hits both alike) and the median of each is printed.
 * {@code java -cp benchmarks.jar dev.turnlab.benchmarks.auth.LoginTiming [ROUNDS]}.
 */
public final class LoginTiming {

    private LoginTiming() {
    }

    /** Runs ROUNDS (default 200000) pairs after as many for warm-up. */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        LoginBenchmark b = new LoginBenchmark();
        b.setUp();
        long[] unknown = new long[rounds];
        long[] wrong = new long[rounds];
        int sink = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                AuthResult u = b.unknownUser();
                long t1 = System.nanoTime();
                AuthResult w = b.wrongPassword();
                long t2 = System.nanoTime();
                unknown[i] = t1 - t0;
                wrong[i] = t2 - t1;
                sink += u.hashCode() ^ w.hashCode();
            }
        }
        Arrays.sort(unknown);
        Arrays.sort(wrong);
        System.out.printf("unknown user: median %d ns, p10 %d, p90 %d%n", unknown[rounds / 2], unknown[rounds / 10],
                unknown[rounds * 9 / 10]);
        System.out.printf("wrong password: median %d ns, p10 %d, p90 %d%n", wrong[rounds / 2], wrong[rounds / 10],
                wrong[rounds * 9 / 10]);
        System.out.printf("difference of medians: %d ns (%d)%n", wrong[rounds / 2] - unknown[rounds / 2], sink & 1);
    }
}
