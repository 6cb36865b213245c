package dev.turnlab.client;

import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.TransactionId;
import dev.turnlab.codec.attribute.ErrorCode;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client transactions of one connection to a STUN or TURN server (RFC 8489 §6.2), for requests of
 * any method and attributes, crafted ones included: each request goes out on its {@link Retransmission}
 * schedule, the response is matched by transaction id and method, and it is checked with the request's
 * long-term key when the request was signed. A response, success or error, completes the transaction;
 * only no answer fails it, with a {@link NoAnswerException}.
 *
 * <p>With credentials, {@link #authenticated} also runs the long-term credential mechanism (RFC 8489
 * §9.2): the server's 401 brings REALM and NONCE, the request goes again signed with USERNAME, REALM,
 * NONCE and MESSAGE-INTEGRITY, a 438 goes again with the new NONCE; realm and nonce are kept for the
 * requests that follow.
 *
 * <p>The caller owns the socket: it hands each request to an {@link Output} to write, and each response
 * it reads to {@link #onResponse}, so the same transactions serve a TURN client, a test and a load
 * generator whose data path never meets them. Time is the executor's scheduler and ticker; the state is
 * the executor's: call {@link #onResponse} on it; the other methods may be called from any thread and
 * their futures complete on it.
 */
public final class ClientTransactions {

    private static final Logger logger = LoggerFactory.getLogger(ClientTransactions.class);

    /** Writes a request towards the server; the future fails when it could not be written. */
    @FunctionalInterface
    public interface Output {
        /** Writes {@code request}, once per transmission. */
        Future<?> write(StunMessage request);
    }

    private final EventExecutor executor;
    private final Output output;
    private final Retransmission retransmission;
    private final LongTermAuth auth;
    private final Map<TransactionId, Pending> pending = new HashMap<>();
    private NoAnswerException closedBecause;
    private long discarded;

    private ClientTransactions(EventExecutor executor, Output output, Retransmission retransmission,
            LongTermAuth auth) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.output = Objects.requireNonNull(output, "output");
        this.retransmission = Objects.requireNonNull(retransmission, "retransmission");
        this.auth = auth;
    }

    /** Transactions without credentials, each request on {@code retransmission}'s schedule. */
    public static ClientTransactions create(EventExecutor executor, Output output, Retransmission retransmission) {
        return new ClientTransactions(executor, output, retransmission, new LongTermAuth(null, null, null));
    }

    /**
     * Transactions that answer the server's challenges with {@code username} and {@code password}
     * (RFC 8489 §9.2), in {@code realm} when it is not null and in the realm of the challenge otherwise.
     */
    public static ClientTransactions withCredentials(EventExecutor executor, Output output,
            Retransmission retransmission, String username, String password, String realm) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        return new ClientTransactions(executor, output, retransmission, new LongTermAuth(username, password, realm));
    }

    /** Sends {@code request} as is, on the default schedule, and completes with its response. */
    public CompletableFuture<Exchange> send(StunMessage request) {
        return send(request, retransmission);
    }

    /** Sends {@code request} as is, on {@code schedule}, and completes with its response. */
    public CompletableFuture<Exchange> send(StunMessage request, Retransmission schedule) {
        return onExecutor(() -> transact(request, null, schedule));
    }

    /**
     * Sends the request {@code request} builds, signed once realm and nonce are known, answering a 401
     * and up to three 438s in a row as RFC 8489 §9.2.5 says; the builder is asked again for each try,
     * which is a new transaction. FINGERPRINT is added last.
     */
    public CompletableFuture<Exchange> authenticated(Supplier<StunMessage.Builder> request) {
        return authenticated(request, retransmission);
    }

    /** {@link #authenticated(Supplier)} with each transaction on {@code schedule}. */
    public CompletableFuture<Exchange> authenticated(Supplier<StunMessage.Builder> request, Retransmission schedule) {
        return onExecutor(() -> auth.transact(request, (message, key) -> transact(message, key, schedule)));
    }

    /**
     * Signs {@code request} with USERNAME, REALM, NONCE and MESSAGE-INTEGRITY once realm and nonce are
     * known, and adds FINGERPRINT: for requests sent some other way than {@link #send}.
     */
    public StunMessage sign(StunMessage.Builder request) {
        return onExecutorNow(() -> auth.sign(request));
    }

    /** Takes the REALM and NONCE of a 401 or 438 error response for the requests that follow. */
    public void challenge(StunMessage errorResponse) {
        onExecutorNow(() -> {
            auth.challenge(errorResponse);
            return null;
        });
    }

    /** The realm of the last challenge, or null before one. */
    public String realm() {
        return auth.realm();
    }

    /** The nonce of the last challenge, or null before one. */
    public String nonce() {
        return onExecutorNow(auth::nonce);
    }

    /** The long-term key requests are signed with, or null before the first challenge. */
    public byte[] key() {
        return onExecutorNow(auth::key);
    }

    /**
     * Completes the transaction {@code response} answers and returns true; returns false, and counts it
     * as discarded, when no transaction waits for it (late, duplicate, another method) or its integrity
     * fails (RFC 8489 §9.2.5: then retransmissions go on). Call on the executor; {@code response} is not
     * released.
     */
    public boolean onResponse(StunMessage response) {
        Pending p = pending.get(response.transactionId());
        if (p == null) {
            return discard(response, "no such transaction (late or duplicate)");
        }
        if (!p.request.method().equals(response.method())) {
            return discard(response, "method differs from the request's " + p.request.method());
        }
        if (p.key != null && !authentic(response, p.key)) {
            return discard(response, "MESSAGE-INTEGRITY does not verify with the request's key");
        }
        finish(p).complete(new Exchange(response, Duration.ofNanos(now() - p.startNanos), p.transmissions));
        return true;
    }

    /** Fails every waiting transaction with {@code failure}; later ones still go out. Call on the executor. */
    public void failAll(NoAnswerException failure) {
        for (Pending p : new ArrayList<>(pending.values())) {
            finish(p).completeExceptionally(failure);
        }
    }

    /** Fails every waiting transaction and every later one with {@code failure}. Call on the executor. */
    public void close(NoAnswerException failure) {
        if (closedBecause == null) {
            closedBecause = failure;
        }
        failAll(closedBecause);
    }

    /**
     * Stops every waiting transaction without an answer: their futures complete with a
     * {@link CancellationException} and nothing more is sent for them. Call on the executor.
     */
    public void cancelAll() {
        for (Pending p : new ArrayList<>(pending.values())) {
            finish(p).cancel(false);
        }
    }

    /** How many responses were discarded: no such transaction, another method, failed integrity. */
    public long discarded() {
        return discarded;
    }

    /** The failure that closed these transactions, or null while open. */
    NoAnswerException closedBecause() {
        return closedBecause;
    }

    /** Starts a transaction on the executor; {@code key}, when not null, signed the request. */
    CompletableFuture<Exchange> transact(StunMessage request, byte[] key, Retransmission schedule) {
        CompletableFuture<Exchange> result = new CompletableFuture<>();
        if (closedBecause != null) {
            result.completeExceptionally(closedBecause);
            return result;
        }
        Pending p = new Pending(request, key, schedule, result, now());
        pending.put(request.transactionId(), p);
        transmit(p);
        return result;
    }

    private void transmit(Pending p) {
        if (pending.get(p.request.transactionId()) != p) {
            return;
        }
        p.transmissions++;
        output.write(p.request).addListener(f -> {
            if (!f.isSuccess() && pending.get(p.request.transactionId()) == p) {
                finish(p).completeExceptionally(TransactionHandler.failure(f.cause()));
            }
        });
        List<Duration> at = p.schedule.transmissions();
        boolean more = p.transmissions < at.size();
        long next = (more ? at.get(p.transmissions) : p.schedule.timeout()).toNanos();
        // Planned from the first transmission, so a slow write does not shift the whole schedule.
        long delay = Math.max(0, next - (now() - p.startNanos));
        if (pending.get(p.request.transactionId()) == p) {
            p.timer = executor.schedule(more ? () -> transmit(p) : () -> giveUp(p), delay, TimeUnit.NANOSECONDS);
        }
    }

    private void giveUp(Pending p) {
        if (pending.get(p.request.transactionId()) != p) {
            return;
        }
        finish(p).completeExceptionally(new NoAnswerException(NoAnswerException.Reason.TIMEOUT,
                "no answer to " + p.request.method() + " after " + p.transmissions + " transmission"
                        + (p.transmissions == 1 ? "" : "s") + " in " + p.schedule.timeout().toMillis() + " ms"));
    }

    private CompletableFuture<Exchange> finish(Pending p) {
        pending.remove(p.request.transactionId());
        if (p.timer != null) {
            p.timer.cancel(false);
        }
        return p.result;
    }

    /**
     * RFC 8489 §9.2.5: a 401 or 438 challenge carries no integrity; a success must carry integrity that
     * verifies; an error response is accepted without integrity (servers refuse bad credentials, 431
     * included, without it) but not with integrity that fails.
     */
    static boolean authentic(StunMessage response, byte[] key) {
        if (response.stunClass() == StunClass.ERROR_RESPONSE) {
            ErrorCode error = response.get(ErrorCode.class);
            if (error != null && (error.code() == 401 || error.code() == 438) || !response.hasIntegrity()) {
                return true;
            }
        }
        return response.hasIntegrity() && response.verifyIntegrity(key);
    }

    private boolean discard(StunMessage message, String why) {
        discarded++;
        logger.debug("discarded {} from the server: {}", message, why);
        return false;
    }

    private long now() {
        return executor.ticker().nanoTime();
    }

    private <T> CompletableFuture<T> onExecutor(Supplier<CompletableFuture<T>> action) {
        return onExecutor(executor, "executor shut down", action);
    }

    /**
     * Runs {@code action} on {@code executor}, at once when already there, and completes with what it
     * completes with; fails with a {@link NoAnswerException} saying {@code whenShutDown} when the executor
     * refuses work.
     */
    static <T> CompletableFuture<T> onExecutor(EventExecutor executor, String whenShutDown,
            Supplier<CompletableFuture<T>> action) {
        if (executor.inEventLoop()) {
            return action.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> action.get().whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(v);
                }
            }));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new NoAnswerException(NoAnswerException.Reason.CLOSED, whenShutDown, e));
        }
        return result;
    }

    private <T> T onExecutorNow(Supplier<T> action) {
        if (executor.inEventLoop()) {
            return action.get();
        }
        return executor.submit(action::get).syncUninterruptibly().getNow();
    }

    private static final class Pending {
        final StunMessage request;
        final byte[] key;
        final Retransmission schedule;
        final CompletableFuture<Exchange> result;
        final long startNanos;
        int transmissions;
        ScheduledFuture<?> timer;

        Pending(StunMessage request, byte[] key, Retransmission schedule, CompletableFuture<Exchange> result,
                long startNanos) {
            this.request = request;
            this.key = key;
            this.schedule = schedule;
            this.result = result;
            this.startNanos = startNanos;
        }
    }
}
