package dev.turnlab.benchmarks.load;

import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.TransactionId;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.auth.LongTermCredentials;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The requests of one session, one at a time: retransmission over UDP (RFC 8489 §6.2.1), and the
 * long-term credential mechanism (RFC 8489 §9.2): the first 401 brings realm and nonce, every later
 * request carries USERNAME, REALM, NONCE and MESSAGE-INTEGRITY, a 438 is retried with the new nonce.
 * Runs on the channel's event loop.
 */
final class Transactions {

    /** The initial retransmission timeout over UDP (RFC 8489 §6.2.1). */
    static final long RTO_MILLIS = 500;
    /** Transmissions of a request over UDP before giving up: at 0, 0.5, 1.5 and 3.5 s. */
    static final int MAX_TRANSMISSIONS = 4;
    /** When a transaction gives up: 7.5 s after the first transmission, on UDP and TCP alike. */
    static final long TIMEOUT_MILLIS = RTO_MILLIS * ((1L << MAX_TRANSMISSIONS) - 1);
    /** Stale-nonce (438) answers a request may get before it counts as failed (RFC 8489 §9.2.5). */
    private static final int MAX_STALE_NONCE = 3;

    private final Channel channel;
    private final boolean stream;
    private final LoadConfig config;
    private String realm;
    private Nonce nonce;
    private byte[] key;
    private Transaction pending;

    /** The transactions of a session on {@code channel}, a TCP connection when {@code stream}. */
    Transactions(Channel channel, boolean stream, LoadConfig config) {
        this.channel = channel;
        this.stream = stream;
        this.config = config;
    }

    /**
     * Sends the request {@code request} builds (without credentials, which are added here) and calls
     * {@code onSuccess} with the verified success response, or {@code onFailure} with the error code or
     * one of the {@link SetupOutcome} reasons. Replaces nothing: call when {@link #isBusy()} is false.
     */
    void start(Supplier<StunMessage.Builder> request, Consumer<StunMessage> onSuccess, Consumer<String> onFailure) {
        pending = new Transaction(request, onSuccess, onFailure);
        pending.send();
    }

    /** Whether a request is waiting for its answer. */
    boolean isBusy() {
        return pending != null;
    }

    /** Whether the server's realm and nonce are known, so requests carry credentials. */
    boolean isAuthenticated() {
        return key != null;
    }

    /** Hands a response to the waiting request if it answers it; anything else is ignored. */
    void onResponse(StunMessage message) {
        Transaction t = pending;
        boolean response = message.stunClass() == StunClass.SUCCESS_RESPONSE
                || message.stunClass() == StunClass.ERROR_RESPONSE;
        if (t != null && response && message.transactionId().equals(t.id)) {
            t.answer(message);
        }
        // otherwise: a late answer to a retransmission, or an indication this client does not use
    }

    /** Stops waiting for the current request, if any, without calling back. */
    void cancel() {
        if (pending != null) {
            pending.cancelTimer();
            pending = null;
        }
    }

    private final class Transaction {
        private final Supplier<StunMessage.Builder> request;
        private final Consumer<StunMessage> onSuccess;
        private final Consumer<String> onFailure;
        private TransactionId id;
        private byte[] wire;
        private int transmissions;
        private int staleNonces;
        private long deadline;
        private ScheduledFuture<?> timer;

        Transaction(Supplier<StunMessage.Builder> request, Consumer<StunMessage> onSuccess,
                Consumer<String> onFailure) {
            this.request = request;
            this.onSuccess = onSuccess;
            this.onFailure = onFailure;
        }

        /** Encodes the request afresh (new transaction ID, current nonce) and transmits it. */
        void send() {
            StunMessage.Builder builder = request.get();
            if (key != null) {
                builder.add(new Username(config.user()), new Realm(realm), nonce).integrity(key);
            }
            StunMessage message = builder.build();
            id = message.transactionId();
            ByteBuf buf = StunMessageCodec.encode(message, UnpooledByteBufAllocator.DEFAULT);
            wire = new byte[buf.readableBytes()];
            buf.readBytes(wire);
            buf.release();
            transmissions = 0;
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
            transmit();
        }

        private void transmit() {
            transmissions++;
            channel.writeAndFlush(Unpooled.wrappedBuffer(wire), channel.voidPromise());
            // RFC 8489 §6.2.1: over UDP, retransmit after RTO, doubling it each time; over TCP, only wait.
            long wait = stream || transmissions == MAX_TRANSMISSIONS
                    ? deadline - System.nanoTime()
                    : TimeUnit.MILLISECONDS.toNanos(RTO_MILLIS << (transmissions - 1));
            timer = channel.eventLoop().schedule(this::onTimer, Math.max(0, wait), TimeUnit.NANOSECONDS);
        }

        private void onTimer() {
            if (pending != this) {
                return;
            }
            if (stream || transmissions >= MAX_TRANSMISSIONS) {
                finish();
                onFailure.accept(SetupOutcome.TIMEOUT);
            } else {
                transmit();
            }
        }

        void answer(StunMessage response) {
            timer.cancel(false);
            if (response.stunClass() == StunClass.SUCCESS_RESPONSE) {
                boolean authentic = key == null || response.verifyIntegrity(key);
                finish();
                if (authentic) {
                    onSuccess.accept(response);
                } else {
                    onFailure.accept(SetupOutcome.INTEGRITY);
                }
                return;
            }
            ErrorCode error = response.get(ErrorCode.class);
            int code = error == null ? 0 : error.code();
            if (code == 401 && key == null && response.get(Nonce.class) != null) {
                // RFC 8489 §9.2.3: the first 401 brings realm and nonce; the retry carries the credentials.
                Realm offered = response.get(Realm.class);
                realm = config.realm() != null ? config.realm() : offered == null ? "" : offered.value();
                nonce = response.get(Nonce.class);
                key = LongTermCredentials.key(config.user(), realm, config.password());
                send();
            } else if (code == 438 && response.get(Nonce.class) != null && staleNonces++ < MAX_STALE_NONCE) {
                nonce = response.get(Nonce.class); // RFC 8489 §9.2.5: retry with the new nonce
                send();
            } else {
                finish();
                onFailure.accept(code == 0 ? SetupOutcome.MALFORMED : Integer.toString(code));
            }
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
            }
        }

        private void finish() {
            if (pending == this) {
                pending = null;
            }
        }
    }
}
