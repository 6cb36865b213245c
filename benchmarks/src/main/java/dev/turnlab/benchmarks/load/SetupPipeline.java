package dev.turnlab.benchmarks.load;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Sets sessions up with at most a given number in flight, pipelined on the client event loops: each loop
 * owns every n-th session and its share of the concurrency, and starts its next session when one of its own
 * has finished, on the loop itself. A session's start then never crosses threads (a task handed over and a
 * wake-up of the loop per session, as when one thread starts them all), and every loop keeps its share of
 * requests in flight without waiting on the others. Sessions not started by the deadline fail with
 * {@link SetupOutcome#SETUP_TIMEOUT}.
 */
final class SetupPipeline {

    private final EventLoop loop;
    private final List<Session> sessions;
    private final BiConsumer<EventLoop, Session> connect;
    private final long deadline;
    private int next;

    private SetupPipeline(EventLoop loop, List<Session> sessions, BiConsumer<EventLoop, Session> connect, long deadline) {
        this.loop = loop;
        this.sessions = sessions;
        this.connect = connect;
        this.deadline = deadline;
    }

    /**
     * Starts setting up {@code sessions} on the loops of {@code group}, at most {@code concurrency} at once,
     * each by {@code connect} on its loop, until {@code deadline} ({@link System#nanoTime()}); returns at once.
     */
    static void start(EventLoopGroup group, List<Session> sessions, int concurrency,
            BiConsumer<EventLoop, Session> connect, long deadline) {
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor e : group) {
            loops.add((EventLoop) e);
        }
        int n = Math.min(loops.size(), concurrency);
        for (int l = 0; l < n; l++) {
            List<Session> share = new ArrayList<>(sessions.size() / n + 1);
            for (int i = l; i < sessions.size(); i += n) {
                share.add(sessions.get(i));
            }
            int window = concurrency / n + (l < concurrency % n ? 1 : 0);
            SetupPipeline pipeline = new SetupPipeline(loops.get(l), share, connect, deadline);
            pipeline.loop.execute(() -> {
                for (int k = 0; k < window; k++) {
                    pipeline.startNext();
                }
            });
        }
    }

    /** Starts this loop's next session, or fails all that are left once the deadline has passed. */
    private void startNext() {
        if (next >= sessions.size()) {
            return;
        }
        if (System.nanoTime() - deadline >= 0) {
            while (next < sessions.size()) {
                sessions.get(next++).setup().complete(SetupOutcome.failed(SetupOutcome.SETUP_TIMEOUT));
            }
            return;
        }
        Session session = sessions.get(next++);
        // Queued, not run inside the completion: a session that fails at once must not nest the next one's start.
        session.setup().whenComplete((outcome, error) -> loop.execute(this::startNext));
        connect.accept(loop, session);
    }
}
