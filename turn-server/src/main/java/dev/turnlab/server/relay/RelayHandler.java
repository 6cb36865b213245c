package dev.turnlab.server.relay;

import dev.turnlab.server.admin.LatencyHistogram;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.fault.FaultSwitch;
import dev.turnlab.server.fault.Faults;
import dev.turnlab.server.fault.RelayFaults;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Clock;

/** The handler of a relay socket: datagrams from peers go to the allocation's client (RFC 8656 §10.3, §12.7). */
public final class RelayHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private final Clock clock;
    private final FaultSwitch faults;
    private final DataIndications indications;
    private final LatencyHistogram latency;
    private Allocation allocation;
    private long dropped;
    /** Datagrams read, which picks the one in 64 whose relay latency is sampled. */
    private int arrivals;

    /**
     * A handler not yet attached: until {@link #attach} every datagram is dropped. Peers are reported to the
     * client as {@link RelayEndpoints#outward} maps them; datagrams go through the lab {@code faults} while one
     * is on; one datagram in 64 relayed to the client is timed into {@code latency}.
     */
    public RelayHandler(Clock clock, RelayEndpoints endpoints, FaultSwitch faults, LatencyHistogram latency) {
        super(DatagramPacket.class, true);
        this.latency = latency;
        this.clock = clock;
        this.faults = faults;
        this.indications = new DataIndications(endpoints::outward);
    }

    /** Attaches the allocation this relay socket belongs to; called on the channel's event loop. */
    public void attach(Allocation allocation) {
        this.allocation = allocation;
    }

    /** Datagrams dropped for want of an allocation or a permission. */
    public long dropped() {
        return dropped;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        Faults active = faults.current(); // the one read of the lab faults per datagram
        if (active != Faults.NONE && active.relay()) {
            RelayFaults.fromPeer(faults, active, ctx.channel().eventLoop(), packet.sender(), packet.content(), this::deliver);
            return;
        }
        if ((++arrivals & LatencyHistogram.SAMPLE_MASK) != 0) {
            deliver(packet.sender(), packet.content());
            return;
        }
        long start = System.nanoTime();
        Allocation a = allocation;
        long before = a == null ? 0 : a.traffic().packetsToClient();
        deliver(packet.sender(), packet.content());
        if (a != null && a.traffic().packetsToClient() != before) {
            Flusher.observeAtFlush(latency, start); // relayed, not dropped
        }
    }

    private void deliver(InetSocketAddress peer, ByteBuf payload) {
        Allocation a = allocation;
        if (a == null || a.isDeleted() || !DataPath.peerToClient(a, peer, payload, clock.millis(), indications)) {
            dropped++;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.nio.channels.ClosedChannelException) {
            // Datagrams written in this event-loop turn but not yet flushed when the allocation was deleted
            // fail as its relay closes (a void promise reports there): they were for a relay that is gone.
            return;
        }
        // ICMP errors surface as PortUnreachableException on connected sockets only; ours are not connected.
        // Anything else is a bug worth seeing, but must not close the relay of a live allocation.
        org.slf4j.LoggerFactory.getLogger(RelayHandler.class).debug("relay {}: {}", ctx.channel().localAddress(), cause.toString());
    }
}
