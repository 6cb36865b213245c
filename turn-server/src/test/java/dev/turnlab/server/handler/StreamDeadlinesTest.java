package dev.turnlab.server.handler;

import dev.turnlab.server.ServerCounters;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.netty.StunStreamDecoder;
import dev.turnlab.server.allocation.AllocationTable;
import dev.turnlab.server.allocation.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A TCP or TLS connection without an allocation must send its first request in time and complete every
 * frame it begins in time; bytes that trickle in extend neither. Time is the embedded event loop's, moved
 * by hand.
 */
class StreamDeadlinesTest {

    private final ServerCounters counters = new ServerCounters();
    private EmbeddedChannel connection;

    private EmbeddedChannel connect(Duration firstRequest, Duration partialFrame) {
        return connect(firstRequest, partialFrame, Duration.ofHours(1));
    }

    private EmbeddedChannel connect(Duration firstRequest, Duration partialFrame, Duration allocate) {
        StunStreamDecoder decoder = new StunStreamDecoder();
        connection = new Connection(decoder, new StreamDeadlines(new AllocationTable(0, 0), counters,
                new AllocationLog(Clock.systemUTC(), 0), Transport.TCP, decoder, firstRequest, partialFrame, allocate));
        return connection;
    }

    @AfterEach
    void closeAndReleaseEverything() {
        connection.finishAndReleaseAll();
    }

    /** Moves time on by {@code seconds} and runs what fell due. */
    private void after(double seconds) {
        connection.advanceTimeBy((long) (seconds * 1000), TimeUnit.MILLISECONDS);
        connection.runScheduledPendingTasks();
    }

    private void send(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        send(b);
    }

    private void send(byte... bytes) {
        connection.writeInbound(Unpooled.wrappedBuffer(bytes));
        for (Object m; (m = connection.readInbound()) != null; ) {
            ReferenceCountUtil.release(m);
        }
    }

    private static byte[] bindingRequest() {
        ByteBuf out = Unpooled.buffer();
        StunMessageCodec.encode(StunMessage.request(Method.BINDING).build(), out);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    @Test
    void aTrickleIsClosedAtTheFirstRequestDeadlineWhateverBytesArrive() {
        connect(Duration.ofSeconds(10), Duration.ofSeconds(60));
        for (int s = 1; s < 10; s++) {
            after(1);
            send((byte) 0);
            assertThat(connection.isActive()).as("open after %d s", s).isTrue();
        }
        after(1);
        assertThat(connection.isActive()).isFalse();
        assertThat(counters.connectionTimeoutCounts()).containsEntry("first_request", 1L).containsEntry("partial_frame", 0L);
    }

    @Test
    void aRequestInTimeLiftsTheFirstRequestDeadline() {
        connect(Duration.ofSeconds(10), Duration.ofSeconds(5));
        after(9);
        send(bindingRequest());
        after(60);
        assertThat(connection.isActive()).isTrue();
        assertThat(counters.connectionTimeoutCounts().values()).containsOnly(0L);
    }

    @Test
    void aFrameBegunMustCompleteByThePartialFrameDeadline() {
        connect(Duration.ofSeconds(60), Duration.ofSeconds(5));
        send(bindingRequest());
        byte[] next = bindingRequest();
        after(1);
        send(Arrays.copyOf(next, 4));
        for (int i = 4; i < 8; i++) {
            after(1);
            send(next[i]);
            assertThat(connection.isActive()).isTrue();
        }
        after(1);
        assertThat(connection.isActive()).isFalse();
        assertThat(counters.connectionTimeoutCounts()).containsEntry("partial_frame", 1L).containsEntry("first_request", 0L);
    }

    @Test
    void aFrameCompletedInTimeStartsTheNextOnesDeadlineAfresh() {
        connect(Duration.ofSeconds(60), Duration.ofSeconds(5));
        byte[] first = bindingRequest();
        byte[] second = bindingRequest();
        send(Arrays.copyOf(first, 10));
        after(4);
        // The rest of the first frame and the start of the second in one read.
        byte[] read = Arrays.copyOf(Arrays.copyOfRange(first, 10, first.length), first.length - 10 + 10);
        System.arraycopy(second, 0, read, first.length - 10, 10);
        send(read);
        after(4);
        assertThat(connection.isActive()).as("4 s into the second frame").isTrue();
        send(Arrays.copyOfRange(second, 10, second.length));
        after(60);
        assertThat(connection.isActive()).isTrue();
    }

    @Test
    void aPartialFirstFrameIsClosedByWhicheverDeadlineComesFirst() {
        connect(Duration.ofSeconds(10), Duration.ofSeconds(3));
        send((byte) 0, (byte) 1);
        after(3);
        assertThat(connection.isActive()).isFalse();
        assertThat(counters.connectionTimeoutCounts()).containsEntry("partial_frame", 1L);
    }

    @Test
    void framesThatKeepCompletingDoNotPostponeTheFirstRequestDeadline() {
        connect(Duration.ofSeconds(10), Duration.ofSeconds(5));
        // ChannelData of 4 bytes, each frame's rest arriving with the next one's start.
        byte[] restAndNext = {0x00, 0x04, 1, 2, 3, 4, 0x40, 0x01};
        send(0x40, 0x01);
        after(4);
        send(restAndNext);
        after(4);
        send(restAndNext);
        after(2);
        assertThat(connection.isActive()).as("10 s without a request").isFalse();
        assertThat(counters.connectionTimeoutCounts()).containsEntry("first_request", 1L);
    }

    @Test
    void aConnectionThatNeverAllocatesIsClosedAtTheAllocateDeadlineWhateverItSends() {
        connect(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(60));
        send(bindingRequest());
        // A whole 4-byte ChannelData frame every 20 s: each resets an idle timer, none makes an allocation.
        for (int s = 0; s < 2; s++) {
            after(20);
            send(0x40, 0x01, 0x00, 0x04, 1, 2, 3, 4);
            assertThat(connection.isActive()).isTrue();
        }
        after(19);
        assertThat(connection.isActive()).as("59 s after the start").isTrue();
        after(1);
        assertThat(connection.isActive()).as("60 s without an allocation").isFalse();
        assertThat(counters.connectionTimeoutCounts()).containsEntry("allocate", 1L).containsEntry("first_request", 0L);
    }

    /** An embedded connection with IP addresses, as the handlers read them. */
    private static final class Connection extends EmbeddedChannel {
        private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.1", 50000);
        private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.2", 3478);

        Connection(ChannelHandler... handlers) {
            super(handlers);
        }

        @Override
        protected SocketAddress localAddress0() {
            return SERVER;
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return CLIENT;
        }
    }
}
