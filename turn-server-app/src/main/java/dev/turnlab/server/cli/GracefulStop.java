package dev.turnlab.server.cli;

import dev.turnlab.cli.DurationConverter;
import dev.turnlab.server.TurnServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM with a grace period ({@code --drain-grace}), so that a node leaves without cutting calls: the first
 * SIGTERM starts draining (new allocations go to an alternate server or get 508, see
 * {@link TurnServer#drain}), the existing allocations live on until they have all ended or the grace has
 * passed, then the server stops; a second SIGTERM stops it at once.
 */
final class GracefulStop {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);
    /** How often to look whether the allocations have ended. */
    private static final long POLL_MILLIS = 200;

    private final TurnServer server;
    private final Duration grace;
    private final CountDownLatch stop;
    private final AtomicInteger signals = new AtomicInteger();

    GracefulStop(TurnServer server, Duration grace, CountDownLatch stop) {
        this.server = server;
        this.grace = grace;
        this.stop = stop;
    }

    /** Handles SIGTERM with this instead of the JVM's immediate shutdown. */
    void install() {
        // The JVM runs its shutdown hooks on SIGTERM and ignores a second one; handling the signal here is
        // what lets the first drain and the second stop at once.
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> terminate());
    }

    /** What a SIGTERM does: the first starts draining in the background, the second stops now. */
    void terminate() {
        if (signals.incrementAndGet() > 1) {
            LOG.info("SIGTERM again: stopping now with {} allocations", server.allocations().size());
            stop.countDown();
            return;
        }
        LOG.info("SIGTERM: draining for up to {} with {} allocations (a second SIGTERM stops at once)",
                DurationConverter.format(grace), server.allocations().size());
        server.drain(true);
        Thread waiter = new Thread(this::awaitAllocationsThenStop, "turn-server-drain");
        waiter.setDaemon(true);
        waiter.start();
    }

    /** Waits until no allocation is left or the grace has passed, then lets the server stop. */
    void awaitAllocationsThenStop() {
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (!server.allocations().isEmpty() && deadline - System.nanoTime() > 0) {
                TimeUnit.MILLISECONDS.sleep(Math.min(POLL_MILLIS,
                        Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = server.allocations().size();
        if (left == 0) {
            LOG.info("draining done: no allocation left, stopping");
        } else {
            LOG.info("draining done: the grace of {} has passed, stopping with {} allocations",
                    DurationConverter.format(grace), left);
        }
        stop.countDown();
    }
}
