package dev.turnlab.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.allocation.Lifetimes;
import dev.turnlab.server.allocation.Relay;
import dev.turnlab.server.allocation.Transport;
import dev.turnlab.server.ServerCounters;
import dev.turnlab.server.handler.UdpListenerHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DataPathTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    private static final InetSocketAddress LISTENER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3478);
    private static final InetSocketAddress RELAYED = new InetSocketAddress(InetAddress.getLoopbackAddress(), 24000);
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);
    private static final int CHANNEL = 0x4000;
    private static final long NOW = 1_000_000;

    private final EmbeddedChannel listener = new EmbeddedChannel();
    private final Relaying relay = new Relaying();
    private final Allocation allocation;

    DataPathTest() {
        FiveTuple tuple = new FiveTuple(Transport.UDP, CLIENT, LISTENER);
        allocation = new Allocation(tuple, "u", new UdpListenerHandler.UdpLink(listener, tuple, new ServerCounters()),
                List.of(new Relay(relay, RELAYED)), Lifetimes.RFC_8656, Duration.ofMinutes(10), NOW, 1024);
        allocation.bindChannel(CHANNEL, PEER, NOW);
    }

    @AfterEach
    void noneLeft() {
        listener.finishAndReleaseAll();
        relay.finishAndReleaseAll();
    }

    @Test
    void channelDataGoesToTheBoundPeerAsASliceOfWhatCameIn() {
        ByteBuf data = Unpooled.copiedBuffer(new byte[] {1, 2, 3});
        assertThat(DataPath.channelDataToPeer(allocation, CHANNEL, data, NOW)).isEqualTo(DataPath.ToPeer.RELAYED);
        data.release();
        relay.runPendingTasks();

        DatagramPacket sent = relay.readOutbound();
        assertThat(sent.recipient()).isEqualTo(PEER);
        assertThat(sent.content().readableBytes()).isEqualTo(3);
        sent.release();
        assertThat(allocation.packetsToPeer()).isEqualTo(1);
    }

    @Test
    void aQueueFilledWithinOneTurnIsFlushedRatherThanDropped() {
        relay.config().setWriteBufferWaterMark(new WriteBufferWaterMark(100, 200));
        ByteBuf data = Unpooled.buffer(300).writeZero(300);

        assertThat(DataPath.channelDataToPeer(allocation, CHANNEL, data, NOW)).isEqualTo(DataPath.ToPeer.RELAYED);
        assertThat(DataPath.channelDataToPeer(allocation, CHANNEL, data, NOW)).isEqualTo(DataPath.ToPeer.RELAYED);
        relay.runPendingTasks();
        data.release();

        assertThat(relay.outboundMessages()).hasSize(2);
        assertThat(allocation.packetsToPeer()).isEqualTo(2);
    }

    @Test
    void aRelaySocketTheKernelTakesNothingFromDropsUntilItDrains() {
        relay.config().setWriteBufferWaterMark(new WriteBufferWaterMark(100, 200));
        ByteBuf data = Unpooled.buffer(300).writeZero(300);
        relay.stuck = true;

        assertThat(DataPath.channelDataToPeer(allocation, CHANNEL, data, NOW)).isEqualTo(DataPath.ToPeer.RELAYED);
        assertThat(DataPath.channelDataToPeer(allocation, CHANNEL, data, NOW)).isEqualTo(DataPath.ToPeer.RELAY_FULL);
        relay.stuck = false;
        assertThat(DataPath.channelDataToPeer(allocation, CHANNEL, data, NOW)).isEqualTo(DataPath.ToPeer.RELAYED);
        relay.runPendingTasks();
        data.release();

        assertThat(relay.outboundMessages()).hasSize(2);
        assertThat(allocation.packetsToPeer()).isEqualTo(2);
    }

    /** A relay socket whose kernel takes nothing while {@code stuck}: what is written stays queued. */
    private static final class Relaying extends EmbeddedChannel {
        boolean stuck;

        @Override
        protected void doWrite(ChannelOutboundBuffer in) throws Exception {
            if (!stuck) {
                super.doWrite(in);
            }
        }
    }
}
