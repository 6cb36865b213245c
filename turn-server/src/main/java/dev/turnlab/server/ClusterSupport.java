package dev.turnlab.server;

import dev.turnlab.server.cluster.RedisLink;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;

/** Joins a server to its cluster's Redis, or fails the start in one line when Lettuce is not there. */
final class ClusterSupport {

    private static final String LETTUCE_CLIENT = "io.lettuce.core.RedisClient";

    private ClusterSupport() {
    }

    /**
     * A link to the Redis of {@code cluster}, connecting in the background; retries run on {@code scheduler}.
     * Checks first that Lettuce can be loaded, so that its absence fails the start, not a request.
     */
    static RedisLink connect(ClusterConfig cluster, ScheduledExecutorService scheduler) {
        String missing = missingLettuce(ClusterSupport::loadable);
        if (missing != null) {
            throw new IllegalStateException(missing);
        }
        return RedisLink.start(cluster, scheduler);
    }

    /** Null when {@code loadable} finds Lettuce's client, else the one line that names the artifact. */
    static String missingLettuce(Predicate<String> loadable) {
        if (loadable.test(LETTUCE_CLIENT)) {
            return null;
        }
        return "redis: a cluster needs io.lettuce:lettuce-core on the class path "
                + "(an optional dependency of turn-server; turn-server-app has it)";
    }

    private static boolean loadable(String className) {
        try {
            Class.forName(className, false, ClusterSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
