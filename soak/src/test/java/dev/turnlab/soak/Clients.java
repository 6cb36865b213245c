package dev.turnlab.soak;

import dev.turnlab.client.Transport;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.TurnResult;
import dev.turnlab.codec.attribute.ErrorCode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Many {@link TurnClient}s, one allocation each, on two shared event loops, with at most {@value #IN_FLIGHT}
 * requests outstanding so that a loaded machine sees no retransmission storm. {@link #close} releases every
 * allocation (Refresh with LIFETIME 0) and closes every socket.
 */
final class Clients implements AutoCloseable {

    static final int IN_FLIGHT = 200;
    /** The longest any one batch of requests may take before the soak gives up on it. */
    private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(5);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<TurnClient> clients = new ArrayList<>();
    private final InetSocketAddress server;
    private final Transport transport;

    Clients(InetSocketAddress server, Transport transport) {
        this.server = server;
        this.transport = transport;
    }

    /**
     * Allocates {@code count} more allocations as {@code user}; returns how the requests ended: "ok", the error
     * code ("486", "508"...) or the failure's class.
     */
    Map<String, Integer> allocate(int count, String user, String password) throws InterruptedException {
        List<TurnClient> batch = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            TurnClient c = TurnClient.builder().server(server).transport(transport).credentials(user, password)
                    .eventLoopGroup(group).build();
            batch.add(c);
            clients.add(c);
        }
        return outcomes(batch, TurnClient::allocate);
    }

    /** Refreshes every allocation for {@code lifetime}; returns how the requests ended. */
    Map<String, Integer> refresh(Duration lifetime) throws InterruptedException {
        List<TurnClient> live = clients.stream().filter(c -> c.allocation().isPresent()).toList();
        return outcomes(live, c -> c.refresh(lifetime));
    }

    private static <T> Map<String, Integer> outcomes(List<TurnClient> batch,
            Function<TurnClient, CompletableFuture<TurnResult<T>>> request) throws InterruptedException {
        Semaphore slots = new Semaphore(IN_FLIGHT);
        Map<String, Integer> outcomes = new TreeMap<>();
        List<CompletableFuture<String>> done = new ArrayList<>(batch.size());
        for (TurnClient c : batch) {
            if (!slots.tryAcquire(BATCH_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("no answer to " + IN_FLIGHT + " requests in " + BATCH_TIMEOUT);
            }
            done.add(request.apply(c).handle((r, e) -> {
                slots.release();
                return e != null ? e.getClass().getSimpleName()
                        : r.isSuccess() ? "ok" : r.error().map(ErrorCode::code).map(String::valueOf).orElse("error");
            }));
        }
        for (CompletableFuture<String> f : done) {
            outcomes.merge(f.join(), 1, Integer::sum);
        }
        return outcomes;
    }

    /** Releases every allocation and closes every client, at most {@value #IN_FLIGHT} at a time. */
    @Override
    public void close() throws InterruptedException {
        Semaphore slots = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<Void>> closed = new ArrayList<>();
        for (TurnClient c : clients) {
            if (!slots.tryAcquire(BATCH_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                break;
            }
            closed.add(c.closeAsync().whenComplete((r, e) -> slots.release()));
        }
        CompletableFuture.allOf(closed.toArray(new CompletableFuture<?>[0])).orTimeout(5, TimeUnit.MINUTES)
                .handle((r, e) -> null).join();
        clients.clear();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
