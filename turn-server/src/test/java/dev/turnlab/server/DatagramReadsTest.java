package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Whole datagrams of any size: the epoll batches' accounting, and what each transport's reads deliver. */
class DatagramReadsTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final RecvByteBufAllocator.Handle handle = new DatagramReads(8).newHandle();

    @Test
    void aBatchHasRoomForEightDatagramsOfAnySize() {
        assertThat(handle.guess()).isEqualTo(8 * 65_536);
    }

    @Test
    void aFullBatchIsFollowedByAnother() {
        handle.reset(channel.config());
        batch(8);
        assertThat(handle.continueReading()).isTrue();
    }

    @Test
    void aShortBatchMeansTheQueueIsEmpty() {
        handle.reset(channel.config());
        batch(8);
        batch(3);
        assertThat(handle.continueReading()).isFalse();
    }

    @Test
    void fourFullBatchesAreTheMostPerReadinessEvent() {
        handle.reset(channel.config());
        for (int i = 0; i < 3; i++) {
            batch(8);
            assertThat(handle.continueReading()).isTrue();
        }
        batch(8);
        assertThat(handle.continueReading()).isFalse();
    }

    @Test
    void aBatchOfOneIsNoBatch() {
        assertThatThrownBy(() -> new DatagramReads(1)).hasMessage("slots: 1 (expected: >= 2)");
    }

    /**
     * The largest IPv4 UDP payload, one just past Netty's default 2048-byte reads, and the smallest arrive
     * whole through the socket options {@link NettyTransport#datagramReads} sets, one at a time as a relay
     * socket at a paced rate sees them.
     */
    @ParameterizedTest
    @EnumSource(NettyTransport.class)
    void datagramsOfAnySizeArriveWholeOnEveryTransport(NettyTransport transport) throws Exception {
        assumeTrue(transport.isAvailable(), transport + " is not available here");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        BlockingQueue<Integer> sizes = new LinkedBlockingQueue<>();
        EventLoopGroup group = transport.group(1);
        try (DatagramSocket sender = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            Channel receiver = transport.datagramReads(new Bootstrap().group(group).channelFactory(transport.datagramChannel(loopback)))
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                            sizes.add(packet.content().readableBytes());
                        }
                    })
                    .bind(new InetSocketAddress(loopback, 0)).sync().channel();
            for (int size : new int[] {65_507, 2049, 1}) {
                sender.send(new java.net.DatagramPacket(new byte[size], size, receiver.localAddress()));
                assertThat(sizes.poll(10, TimeUnit.SECONDS)).as("%s: a datagram of %d bytes", transport, size).isEqualTo(size);
            }
            receiver.close().sync();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** What Netty's epoll datagram channel records for one recvmmsg that returned {@code received} datagrams. */
    private void batch(int received) {
        handle.attemptedBytesRead(8 * DatagramReads.SLOT);
        handle.lastBytesRead(received * DatagramReads.SLOT);
        handle.incMessagesRead(received);
    }
}
