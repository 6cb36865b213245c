package dev.turnlab.testing.tools;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real {@link RedisServer} for the tests of a class: launched before the first, closed after the last, and
 * the class skipped with {@link RedisServer#MISSING} where Redis cannot be installed; with it, a scheduler for
 * the clients' timers (a Redis link's reconnects and heartbeats), shut down after the last test. Register it with
 * {@code @RegisterExtension static final SharedRedis REDIS = SharedRedis.emptiedBeforeEachTest();}.
 */
public final class SharedRedis implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private final boolean emptied;
    private RedisServer server;
    private ScheduledExecutorService scheduler;

    private SharedRedis(boolean emptied) {
        this.emptied = emptied;
    }

    /** A Redis that each test gets running (started again if a test stopped it) and empty (FLUSHALL). */
    public static SharedRedis emptiedBeforeEachTest() {
        return new SharedRedis(true);
    }

    /** A Redis whose data the class's tests share, as they leave it. */
    public static SharedRedis keptBetweenTests() {
        return new SharedRedis(false);
    }

    /** The server; only valid while the class's tests run. */
    public RedisServer server() {
        if (server == null) {
            throw new IllegalStateException("no Redis outside the tests of the class that registered it");
        }
        return server;
    }

    /** One thread for the class's timers; only valid while the class's tests run. */
    public ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            throw new IllegalStateException("no scheduler outside the tests of the class that registered it");
        }
        return scheduler;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        assumeTrue(RedisServer.available(), RedisServer.MISSING);
        server = RedisServer.launch();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (emptied) {
            if (!server.running()) {
                server.start();
            }
            server.cli("FLUSHALL");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
