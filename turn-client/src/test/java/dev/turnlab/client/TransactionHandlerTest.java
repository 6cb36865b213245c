package dev.turnlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.ConnectionId;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.XorMappedAddress;
import dev.turnlab.codec.attribute.XorPeerAddress;
import dev.turnlab.codec.auth.LongTermCredentials;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transactions on an EmbeddedChannel with frozen time: what goes out when, and which answers count. */
class TransactionHandlerTest {

    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 3478);
    private static final byte[] KEY = LongTermCredentials.key("alice", "turnlab", "alice-secret");

    private final List<String> data = new ArrayList<>();
    private EmbeddedChannel channel;

    @BeforeEach
    void open() {
        channel = new EmbeddedChannel(new TransactionHandler(SERVER, new TransactionHandler.Inbound() {
            @Override
            public void data(InetSocketAddress peer, byte[] bytes) {
                data.add(peer + " " + bytes.length);
            }

            @Override
            public void channelData(int channelNumber, byte[] bytes) {
                data.add(channelNumber + " " + bytes.length);
            }

            @Override
            public void connectionAttempt(ConnectionAttempt attempt) {
                data.add("attempt " + attempt.connectionId().unsignedId() + " from " + attempt.peer());
            }
        }));
        channel.freezeTime();
    }

    @AfterEach
    void close() {
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void udpRequestGoesOutAtTheRfcTimesThenTimesOut() {
        StunMessage request = StunMessage.request(Method.BINDING).build();
        CompletableFuture<Exchange> result = start(request, null, Retransmission.udp());
        List<Long> sentAt = new ArrayList<>();
        long now = 0;
        // Step through 40 s in 100 ms ticks, noting when a transmission comes out.
        for (int tick = 0; tick <= 400 && !result.isDone(); tick++) {
            drainTransmissions(request, now, sentAt);
            channel.advanceTimeBy(100, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
            now += 100;
        }

        assertThat(sentAt).containsExactly(0L, 500L, 1500L, 3500L, 7500L, 15500L, 31500L);
        assertThat(result).isCompletedExceptionally();
        assertThat(now).isEqualTo(39_500);
        assertThat(failure(result).reason()).isEqualTo(NoAnswerException.Reason.TIMEOUT);
        assertThat(failure(result)).hasMessage("no answer to Binding after 7 transmissions in 39500 ms");
    }

    @Test
    void reliableRequestGoesOutOnceAndWaitsTi() {
        StunMessage request = StunMessage.request(Method.BINDING).build();
        CompletableFuture<Exchange> result = start(request, null, Retransmission.reliable(Duration.ofMillis(39_500)));
        assertThat(readRequest()).isEqualTo(request);

        channel.advanceTimeBy(39_499, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(result).isNotDone();
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(failure(result).reason()).isEqualTo(NoAnswerException.Reason.TIMEOUT);
    }

    @Test
    void aResponseEndsTheTransactionWithTheRoundTripFromTheFirstTransmission() throws Exception {
        StunMessage request = StunMessage.request(Method.BINDING).build();
        CompletableFuture<Exchange> result = start(request, null, Retransmission.udp());
        readRequest();
        channel.advanceTimeBy(600, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        readRequest(); // the retransmission at 500 ms

        channel.advanceTimeBy(50, TimeUnit.MILLISECONDS);
        answer(StunMessage.successResponse(request).add(new XorMappedAddress(new InetSocketAddress("192.0.2.1", 4000))).build());

        Exchange exchange = result.get();
        assertThat(exchange.roundTrip()).isEqualTo(Duration.ofMillis(650));
        assertThat(exchange.transmissions()).isEqualTo(2);
        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.<Object>readOutbound()).as("no retransmission after the answer").isNull();
    }

    @Test
    void aSuccessWithoutValidIntegrityIsDiscardedAndTheTransactionGoesOn() throws Exception {
        StunMessage request = StunMessage.request(Method.ALLOCATE).build();
        CompletableFuture<Exchange> result = start(request, KEY, Retransmission.udp());
        readRequest();

        answer(StunMessage.successResponse(request).build());
        answer(StunMessage.successResponse(request).integrity(LongTermCredentials.key("alice", "turnlab", "other")).build());
        assertThat(result).isNotDone();
        answer(StunMessage.successResponse(request).integrity(KEY).build());

        assertThat(result.get().response().hasIntegrity()).isTrue();
    }

    @Test
    void challengesAndRefusalsWithoutIntegrityAreAccepted() throws Exception {
        StunMessage request = StunMessage.request(Method.ALLOCATE).build();
        CompletableFuture<Exchange> result = start(request, KEY, Retransmission.udp());
        readRequest();

        answer(StunMessage.errorResponse(request, ErrorCode.INTEGRITY_CHECK_FAILURE).build());

        assertThat(result.get().response().get(ErrorCode.class).code()).isEqualTo(431);
    }

    @Test
    void responsesToOtherTransactionsAreDiscarded() {
        StunMessage request = StunMessage.request(Method.BINDING).build();
        CompletableFuture<Exchange> result = start(request, null, Retransmission.udp());
        readRequest();

        answer(StunMessage.successResponse(StunMessage.request(Method.BINDING).build()).build());

        assertThat(result).isNotDone();
        channel.close();
        assertThat(failure(result).reason()).isEqualTo(NoAnswerException.Reason.CLOSED);
    }

    @Test
    void connectionAttemptIndicationsReachTheClientAndIncompleteOnesAreDiscarded() {
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 40000);
        answer(StunMessage.indication(Method.CONNECTION_ATTEMPT)
                .add(new ConnectionId(-2), new XorPeerAddress(peer)).build());
        answer(StunMessage.indication(Method.CONNECTION_ATTEMPT).add(new ConnectionId(7)).build());

        assertThat(data).containsExactly("attempt 4294967294 from " + peer);
        assertThat(channel.pipeline().get(TransactionHandler.class).discarded()).isEqualTo(1);
    }

    private CompletableFuture<Exchange> start(StunMessage request, byte[] key, Retransmission schedule) {
        CompletableFuture<Exchange> result = new CompletableFuture<>();
        channel.pipeline().get(TransactionHandler.class).transact(request, key, schedule, result);
        return result;
    }

    private void drainTransmissions(StunMessage request, long now, List<Long> sentAt) {
        for (Object out; (out = channel.readOutbound()) != null; ) {
            assertThat(((AddressedEnvelope<?, ?>) out).content()).isEqualTo(request);
            sentAt.add(now);
        }
    }

    private StunMessage readRequest() {
        AddressedEnvelope<?, ?> out = channel.readOutbound();
        assertThat(out).isNotNull();
        assertThat(out.recipient()).isEqualTo(SERVER);
        return (StunMessage) out.content();
    }

    /** Feeds a response as the decoder would: encoded and decoded, so integrity is checked on wire bytes. */
    private void answer(StunMessage response) {
        ByteBuf wire = StunMessageCodec.encode(response, ByteBufAllocator.DEFAULT);
        StunMessage decoded;
        try {
            decoded = StunMessageCodec.decode(wire);
        } finally {
            wire.release();
        }
        channel.writeInbound(new DefaultAddressedEnvelope<>(decoded, new InetSocketAddress(0), SERVER));
    }

    private static NoAnswerException failure(CompletableFuture<Exchange> result) {
        try {
            result.get();
            throw new AssertionError("completed normally");
        } catch (ExecutionException e) {
            return (NoAnswerException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
