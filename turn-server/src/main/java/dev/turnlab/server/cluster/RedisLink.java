package dev.turnlab.server.cluster;

import dev.turnlab.server.ClusterConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's one connection to the cluster's Redis, through Lettuce. It never makes a caller wait: the
 * connection is made in the background at start and made again whenever it is lost (Lettuce reconnects an
 * established connection; a first connection that fails is retried here every {@link #RETRY} or so), and
 * while there is none every {@link #call} fails at once. Every command is bounded by the configured
 * command timeout.
 *
 * <p>Results complete on Lettuce's own thread: a caller that touches event-loop state hands the result back
 * to its event loop.
 */
public final class RedisLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
    /** How long after a failed first connection the next attempt starts. */
    static final Duration RETRY = Duration.ofSeconds(1);

    private final ClusterConfig config;
    private final ClientResources resources;
    private final RedisClient client;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile ScheduledFuture<?> retry;
    private final List<ScheduledFuture<?>> periodic = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile boolean reportedDown;

    private RedisLink(ClusterConfig config, ScheduledExecutorService scheduler) {
        this.config = config;
        this.scheduler = scheduler;
        // Lettuce's smallest pools (two threads each): Redis is a side channel here, not the data path.
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While disconnected, fail at once rather than queue: no request waits on a Redis that is down.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout(config)).keepAlive(true).build())
                .build());
    }

    /**
     * A link to the Redis of {@code config}, connecting in the background; {@code scheduler} runs the retries
     * of a first connection that fails. Fails at once only when Lettuce is missing from the class path.
     */
    public static RedisLink start(ClusterConfig config, ScheduledExecutorService scheduler) {
        RedisLink link = new RedisLink(config, scheduler);
        link.connect();
        return link;
    }

    /** Whether a connection is up now. */
    public boolean isUp() {
        StatefulRedisConnection<String, String> c = connection;
        return c != null && c.isOpen();
    }

    /** The configuration, for the users, quotas and registry built on this link. */
    public ClusterConfig config() {
        return config;
    }

    /**
     * Runs one command (or a few pipelined by {@code command}) and completes with its result, or fails
     * at once when there is no connection, or after the command timeout. Never blocks.
     */
    public <T> CompletableFuture<T> call(Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command) {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || !c.isOpen()) {
            failures.incrementAndGet();
            return CompletableFuture.failedFuture(new RedisUnavailableException("no connection to "
                    + config.redisWithoutPassword()));
        }
        commands.incrementAndGet();
        CompletableFuture<T> result;
        try {
            result = command.apply(c.async()).toCompletableFuture();
        } catch (RuntimeException e) {
            // A command that throws rather than failing its future (an encoding error, a connection closing
            // under it) fails like any other: no caller ever sees an exception from here.
            failures.incrementAndGet();
            return CompletableFuture.failedFuture(e);
        }
        result.whenComplete((v, e) -> {
            if (e != null) {
                failures.incrementAndGet();
            }
        });
        return result;
    }

    /**
     * Runs {@code task} now and then every {@code period} until this link is closed, on the link's scheduler
     * (an event loop: {@code task} must not block).
     */
    public void every(Duration period, Runnable task) {
        Runnable surviving = surviving("cluster task", task);
        ScheduledFuture<?> f = scheduler.scheduleAtFixedRate(() -> {
            if (!closed) {
                surviving.run();
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        periodic.add(f);
    }

    /**
     * {@code task} for a periodic schedule: an exception is logged and the next period runs, where a
     * scheduled executor would silently stop repeating the task.
     */
    static Runnable surviving(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("{} failed, tried again next period: {}", what, e.toString());
            }
        };
    }

    /** Commands sent since start. */
    public long commands() {
        return commands.get();
    }

    /** Commands that failed, timed out or could not be sent since start. */
    public long failures() {
        return failures.get();
    }

    private void connect() {
        if (closed) {
            return;
        }
        RedisURI uri = RedisURI.create(config.redis());
        uri.setTimeout(config.commandTimeout());
        client.connectAsync(StringCodec.UTF8, uri).whenComplete((c, e) -> {
            if (e != null) {
                if (!reportedDown) {
                    LOG.warn("Redis {} cannot be reached: {}; retrying every {} s", config.redisWithoutPassword(),
                            e.getMessage(), RETRY.toSeconds());
                    reportedDown = true; // log the first failure only, not every retry
                }
                if (!closed) {
                    retry = scheduler.schedule(this::connect, RETRY.toMillis(), TimeUnit.MILLISECONDS);
                }
                return;
            }
            if (closed) {
                c.closeAsync();
                return;
            }
            connection = c;
            LOG.info("Connected to Redis {}", config.redisWithoutPassword());
        });
    }

    @Override
    public void close() {
        closed = true;
        periodic.forEach(f -> f.cancel(false));
        ScheduledFuture<?> r = retry;
        if (r != null) {
            r.cancel(false);
        }
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /** The connect timeout: the command timeout, but at least a second, since a TCP handshake may need it. */
    private static Duration connectTimeout(ClusterConfig config) {
        Duration second = Duration.ofSeconds(1);
        return config.commandTimeout().compareTo(second) > 0 ? config.commandTimeout() : second;
    }

    /** A command that could not be sent: there is no connection to Redis now. */
    public static final class RedisUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RedisUnavailableException(String message) {
            super(message, null, false, false);
        }
    }
}
