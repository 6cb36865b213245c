package dev.turnlab.benchmarks.relay;

import dev.turnlab.codec.ChannelDataCodec;
import dev.turnlab.server.PortRange;
import dev.turnlab.server.handler.ServerContexts;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.TurnServerConfig;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.allocation.Lifetimes;
import dev.turnlab.server.allocation.Relay;
import dev.turnlab.server.allocation.Transport;
import dev.turnlab.server.fault.FaultSwitch;
import dev.turnlab.server.handler.RequestProcessor;
import dev.turnlab.server.handler.ServerContext;
import dev.turnlab.server.handler.UdpListenerHandler;
import dev.turnlab.server.relay.RelayEndpoints;
import dev.turnlab.server.relay.RelayHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's data path in isolation: one datagram through the real handlers, with {@link EmbeddedChannel}s
 * standing in for the UDP listener and the relay socket, so no system call is measured. Each operation
 * reads one datagram in, runs the event loop's pending flush and takes the relayed datagram out.
 *
 * <ul>
 *   <li>{@code channelDataToPeer}: ChannelData from the client, through {@link UdpListenerHandler}, to the
 *       bound peer as a plain datagram (RFC 8656 §12.6).</li>
 *   <li>{@code peerToClientChannelData}: a datagram from the bound peer, through {@link RelayHandler}, to the
 *       client as ChannelData (§12.7).</li>
 *   <li>{@code peerToClientDataIndication}: a datagram from a peer with a permission but no channel, to the
 *       client as a Data indication (§10.3).</li>
 * </ul>
 *
 * <p>B/op counts what the path allocates on JMH's thread, which is not a {@code FastThreadLocalThread}: Netty's
 * per-thread recyclers (retained slices, pooled buffer caches) work less well here than on an event loop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled") // as in the server jar
public class RelayPathBenchmark {

    /** Payload size: an Opus audio frame, and a full video packet. */
    @Param({"160", "1200"})
    public int payload;

    /**
     * The allocation's bandwidth limit (max-bps): 0 for none, or a limit the run never reaches, so that every
     * datagram pays the token bucket's check and still passes.
     */
    @Param({"0", "1000000000000"})
    public long maxBps;

    private static final InetSocketAddress LISTENER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3478);
    private static final InetSocketAddress RELAYED = new InetSocketAddress(InetAddress.getLoopbackAddress(), 24000);
    private static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);
    private static final InetSocketAddress OTHER_PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50002);
    private static final int CHANNEL = 0x4000;

    private EmbeddedChannel listener;
    private EmbeddedChannel relay;
    private ByteBuf channelData;
    private ByteBuf peerData;

    @Setup
    public void setUp() throws Exception {
        Clock clock = Clock.systemUTC();
        TurnServerConfig config = TurnServer.builder().realm("turnlab").user("u", "p").software("bench").clock(clock)
                .securityFeatures(false).relayPorts(new PortRange(24000, 24999)).allowLoopbackPeers(true).logRate(0)
                .build().config();
        ServerContext context = ServerContexts.create(config,
                new RelayEndpoints(LISTENER.getAddress(), LISTENER.getAddress(), null, null),
                (loop, address, handler) -> {
                    throw new UnsupportedOperationException("no Allocate here");
                }, new FaultSwitch());
        listener = new Socket(LISTENER, new UdpListenerHandler(new RequestProcessor(context)));
        // The server's wiring: both handlers read the one switch of the lab faults, here with none on.
        RelayHandler relayHandler = new RelayHandler(clock, context.endpoints(), context.faults(),
                context.counters().relayLatency());
        relay = new Socket(RELAYED, relayHandler);

        long now = clock.millis();
        FiveTuple tuple = new FiveTuple(Transport.UDP, CLIENT, LISTENER);
        Allocation allocation = new Allocation(tuple, "u", new UdpListenerHandler.UdpLink(listener, tuple, context.counters()),
                List.of(new Relay(relay, RELAYED)), Lifetimes.RFC_8656, Duration.ofMinutes(10), now, 1024, maxBps);
        allocation.bindChannel(CHANNEL, PEER, now);
        context.allocations().admit("u");
        context.allocations().add(allocation);
        relayHandler.attach(allocation);

        channelData = PooledByteBufAllocator.DEFAULT.directBuffer(ChannelDataCodec.HEADER_LENGTH + payload);
        ChannelDataCodec.writeHeader(CHANNEL, payload, channelData);
        channelData.writeZero(payload);
        peerData = PooledByteBufAllocator.DEFAULT.directBuffer(payload).writeZero(payload);
    }

    @TearDown
    public void tearDown() {
        channelData.release();
        peerData.release();
        listener.finishAndReleaseAll();
        relay.finishAndReleaseAll();
    }

    /** ChannelData from the client relayed to its peer; returns the relayed payload's length. */
    @Benchmark
    public int channelDataToPeer() {
        listener.writeInbound(new DatagramPacket(channelData.retainedDuplicate(), LISTENER, CLIENT));
        return drain(relay);
    }

    /** A peer's datagram relayed to the client as ChannelData; returns the frame's length. */
    @Benchmark
    public int peerToClientChannelData() {
        relay.writeInbound(new DatagramPacket(peerData.retainedDuplicate(), RELAYED, PEER));
        return drain(listener);
    }

    /** A peer's datagram relayed to the client as a Data indication; returns the message's length. */
    @Benchmark
    public int peerToClientDataIndication() {
        relay.writeInbound(new DatagramPacket(peerData.retainedDuplicate(), RELAYED, OTHER_PEER));
        return drain(listener);
    }

    /** Runs the deferred flush and releases what was written; a missing datagram is a broken benchmark. */
    private static int drain(EmbeddedChannel out) {
        out.runPendingTasks();
        DatagramPacket packet = out.readOutbound();
        if (packet == null) {
            throw new IllegalStateException("nothing relayed");
        }
        int length = packet.content().readableBytes();
        ReferenceCountUtil.release(packet);
        return length;
    }

    /** An embedded channel with an IP address, as the handlers read their socket's local address. */
    private static final class Socket extends EmbeddedChannel {
        private final InetSocketAddress local;

        Socket(InetSocketAddress local, ChannelHandler handler) throws Exception {
            super(false, false);
            this.local = local;
            pipeline().addLast(handler);
            register();
        }

        @Override
        protected SocketAddress localAddress0() {
            return local;
        }
    }
}
