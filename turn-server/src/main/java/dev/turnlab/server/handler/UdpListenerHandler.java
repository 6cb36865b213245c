package dev.turnlab.server.handler;

import dev.turnlab.server.ServerCounters;
import dev.turnlab.server.admin.LatencyHistogram;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.PacketKind;
import dev.turnlab.codec.StunCodecException;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.StunMessageView;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.AllocationTable;
import dev.turnlab.server.allocation.ClientLink;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.allocation.Transport;
import dev.turnlab.server.fault.FaultSwitch;
import dev.turnlab.server.fault.Faults;
import dev.turnlab.server.fault.RelayFaults;
import dev.turnlab.server.relay.DataPath;
import dev.turnlab.server.relay.Flusher;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * The handler of a UDP listening socket, or of a DTLS one behind its DTLS handler (the same datagrams in
 * plaintext, with the 5-tuple's transport DTLS), which tells datagrams apart by the codec's {@link PacketKind} (RFC 7983
 * §7). ChannelData takes the fast path: allocation by sender, channel by number, payload slice to the relay
 * socket. A plain Binding request is answered from a {@link StunMessageView} ({@code PlainBinding}); other STUN,
 * readable or not, goes to the {@link RequestProcessor}; anything else is counted and dropped. Every datagram is
 * released here.
 */
public final class UdpListenerHandler extends ChannelInboundHandlerAdapter {

    private final RequestProcessor processor;
    private final ServerCounters counters;
    private final java.time.Clock clock;
    private final FaultSwitch faults;
    private final Transport transport;
    private final PlainBinding plainBinding;
    /** The view every datagram that may be a Binding request is read through, reused on this event loop. */
    private final StunMessageView view = new StunMessageView();
    private AllocationTable.Scope scope;
    private InetSocketAddress local;
    /** ChannelData datagrams read, which picks the one in 64 whose relay latency is sampled. */
    private int channelDataRead;

    /** A handler for one UDP listener. */
    public UdpListenerHandler(RequestProcessor processor) {
        this(processor, Transport.UDP);
    }

    /** A handler for one UDP listener, or for the plaintext of a DTLS one ({@code transport} DTLS). */
    public UdpListenerHandler(RequestProcessor processor, Transport transport) {
        if (transport.isStream()) {
            throw new IllegalArgumentException("transport: " + transport + " (expected: UDP or DTLS)");
        }
        this.transport = transport;
        this.processor = processor;
        this.counters = processor.context().counters();
        this.clock = processor.context().clock();
        this.faults = processor.context().faults();
        this.plainBinding = new PlainBinding(processor.context().software());
    }

    /**
     * A fresh handler for every channel a bootstrap binds, so that the bootstrap can bind the port again
     * (the fault {@code reject-udp} closes the socket and binds it again when switched off).
     */
    public static ChannelInitializer<Channel> perChannel(RequestProcessor processor) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new UdpListenerHandler(processor));
            }
        };
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        local = (InetSocketAddress) ctx.channel().localAddress();
        scope = processor.context().allocations().scope(transport, local);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            read(ctx.channel(), packet.content(), packet.sender());
        } finally {
            packet.release();
        }
    }

    private void read(Channel channel, ByteBuf content, InetSocketAddress sender) {
        PacketKind kind = PacketKind.of(content);
        Faults active = faults.current(); // the one read of the lab faults per datagram
        if (active != Faults.NONE && faulty(active, kind, content, sender)) {
            return;
        }
        switch (kind) {
            case CHANNEL_DATA -> channelData(content, sender);
            case STUN -> stun(channel, content, sender, active);
            case OTHER, EMPTY -> counters.unknownPacket();
        }
    }

    /** ChannelData from a client (RFC 8656 §12.6): relayed to the channel's peer, or counted and dropped. */
    private void channelData(ByteBuf content, InetSocketAddress sender) {
        boolean sampled = (++channelDataRead & LatencyHistogram.SAMPLE_MASK) == 0;
        long start = sampled ? System.nanoTime() : 0;
        Allocation allocation = scope.get(sender);
        if (allocation == null || allocation.isDeleted()) {
            counters.droppedChannelData();
            return;
        }
        DataPath.ToPeer outcome = DataPath.channelDataToPeer(allocation, content, clock.millis());
        if (outcome != DataPath.ToPeer.RELAYED) {
            counters.notRelayed(outcome);
        } else if (sampled) {
            Flusher.observeAtFlush(counters.relayLatency(), start);
        }
    }

    /** A STUN message, or a malformed one, for the {@link RequestProcessor}. */
    private void stun(Channel channel, ByteBuf content, InetSocketAddress sender, Faults active) {
        // Lab faults (a stalled server) apply to the processor's path only, so with any on, every request takes it.
        if (active == Faults.NONE && PlainBinding.mayBeBindingRequest(content) && view.wrap(content)
                && PlainBinding.isPlain(view)) {
            counters.request(Method.BINDING);
            Flusher.write(channel, new DatagramPacket(plainBinding.successResponse(view, sender, channel.alloc()), sender));
            return;
        }
        ClientLink link = new UdpLink(channel, new FiveTuple(transport, sender, local), counters);
        StunMessage message;
        try {
            message = StunMessageCodec.decode(content);
        } catch (StunCodecException e) {
            processor.malformed(e, link, active);
            return;
        }
        processor.message(message, link, active);
    }

    /** Handles a datagram the way the lab faults on want it; false when it takes the usual path. */
    private boolean faulty(Faults active, PacketKind kind, ByteBuf content, InetSocketAddress sender) {
        if (active.silentUdp()) {
            faults.dropped(FaultSwitch.Drop.SILENT);
            return true;
        }
        if (!active.relay() || kind != PacketKind.CHANNEL_DATA) {
            return false;
        }
        Allocation allocation = scope.get(sender);
        if (allocation == null || allocation.isDeleted()) {
            counters.droppedChannelData();
        } else {
            RelayFaults.channelDataToPeer(faults, active, allocation, content, clock::millis, counters::notRelayed);
        }
        return true;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ClosedChannelException) {
            // Responses and relayed datagrams still queued when the listener closes (the server stopping) fail
            // with it, one per datagram: expected, and no bug.
            org.slf4j.LoggerFactory.getLogger(UdpListenerHandler.class).debug("{} listener {} closed: {}", transport, local,
                    cause.toString());
            return;
        }
        // A UDP listener must outlive anything one client sends; a failure here is a bug to see in the log.
        org.slf4j.LoggerFactory.getLogger(UdpListenerHandler.class).warn("{} listener {}: {}", transport, local, cause.toString(),
                cause);
    }

    /**
     * The way back to a UDP client: datagrams from the listener socket {@code channel} it sent to; on a DTLS
     * listener they pass its DTLS handler, which encrypts them for the client's association.
     */
    public record UdpLink(Channel channel, FiveTuple fiveTuple, ServerCounters counters) implements ClientLink {
        @Override
        public EventLoop eventLoop() {
            return channel.eventLoop();
        }

        @Override
        public ByteBufAllocator alloc() {
            return channel.alloc();
        }

        @Override
        public void write(ByteBuf frame) {
            Flusher.write(channel, new DatagramPacket(frame, fiveTuple.client()));
        }

        /** Drops relayed data, counted, once the listener will not take more: the kernel refused data. */
        @Override
        public boolean relay(ByteBuf frame) {
            if (!Flusher.writable(channel)) {
                frame.release();
                counters.droppedToClient();
                return false;
            }
            write(frame);
            return true;
        }

        @Override
        public boolean isActive() {
            return channel.isActive();
        }
    }
}
