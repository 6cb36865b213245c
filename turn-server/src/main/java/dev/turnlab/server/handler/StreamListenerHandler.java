package dev.turnlab.server.handler;

import dev.turnlab.server.ServerCounters;
import dev.turnlab.server.admin.LatencyHistogram;
import dev.turnlab.codec.ChannelData;
import dev.turnlab.codec.StunCodecException;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.netty.MalformedStunMessage;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.ClientLink;
import dev.turnlab.server.allocation.Deletion;
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
import io.netty.channel.EventLoop;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of one TCP or TLS client connection (RFC 8656 §3.1), after {@code StunStreamDecoder}:
 * STUN messages go to the {@link RequestProcessor}, ChannelData to the allocation's peer. A stream that
 * breaks framing is closed; closing the connection deletes its allocation.
 */
public final class StreamListenerHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(StreamListenerHandler.class);

    private final RequestProcessor processor;
    private final Transport transport;
    private StreamLink link;
    private Allocation allocation;
    /** ChannelData frames read, which picks the one in 64 whose relay latency is sampled. */
    private int channelDataRead;

    /** A handler for one connection over {@code transport} (TCP or TLS). */
    public StreamListenerHandler(RequestProcessor processor, Transport transport) {
        this.processor = processor;
        this.transport = transport;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        link = new StreamLink(ch, new FiveTuple(transport, (InetSocketAddress) ch.remoteAddress(),
                (InetSocketAddress) ch.localAddress()), processor.context().counters());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Faults active = processor.context().faults().current(); // the one read of the lab faults per frame
        if (active != Faults.NONE && faulty(active, msg)) {
            return;
        }
        if (msg instanceof ChannelData data) {
            boolean sampled = (++channelDataRead & LatencyHistogram.SAMPLE_MASK) == 0;
            long start = sampled ? System.nanoTime() : 0;
            try {
                if (allocation == null || allocation.isDeleted()) {
                    allocation = processor.context().allocations().find(link.fiveTuple());
                }
                long now = processor.context().clock().millis();
                ServerCounters counters = processor.context().counters();
                // DataPath drops it for an allocation past its lifetime the sweeper has not reached (RFC 8656 §7.3).
                if (allocation == null || allocation.isDeleted()) {
                    counters.droppedChannelData();
                } else {
                    DataPath.ToPeer outcome = DataPath.channelDataToPeer(allocation, data.channelNumber(), data.content(), now);
                    if (outcome != DataPath.ToPeer.RELAYED) {
                        counters.notRelayed(outcome);
                    } else if (sampled) {
                        Flusher.observeAtFlush(counters.relayLatency(), start);
                    }
                }
            } finally {
                data.release();
            }
        } else if (msg instanceof StunMessage message) {
            processor.message(message, link, active);
        } else if (msg instanceof MalformedStunMessage malformed) {
            processor.malformed(malformed.error(), link, active);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Handles a frame the way the lab faults on want it, releasing it; false when it takes the usual path. */
    private boolean faulty(Faults active, Object msg) {
        ServerContext c = processor.context();
        if (active.silentTcp() && transport == Transport.TCP) {
            c.faults().dropped(FaultSwitch.Drop.SILENT);
            ReferenceCountUtil.release(msg);
            return true;
        }
        if (!active.relay() || !(msg instanceof ChannelData data)) {
            return false;
        }
        try {
            if (allocation == null || allocation.isDeleted()) {
                allocation = c.allocations().find(link.fiveTuple());
            }
            if (allocation == null || allocation.isDeleted()) {
                c.counters().droppedChannelData();
            } else {
                RelayFaults.channelDataToPeer(c.faults(), active, allocation, data.channelNumber(), data.content(),
                        c.clock()::millis, c.counters()::notRelayed);
            }
        } finally {
            data.release();
        }
        return true;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        // A connection that has been idle and holds no allocation only costs a socket: close it.
        if (event instanceof IdleStateEvent) {
            Allocation owned = processor.context().allocations().find(link.fiveTuple());
            if (owned == null || owned.isDeleted()) {
                processor.context().counters().connectionTimedOut(ConnectionTimeout.IDLE);
                processor.context().log().connectionTimedOut(link.fiveTuple(), ConnectionTimeout.IDLE, 0);
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // RFC 8656 §3.1: when the TCP/TLS connection closes, its allocation is deleted.
        Allocation owned = processor.context().allocations().find(link.fiveTuple());
        if (owned != null) {
            processor.delete(owned, Deletion.CONNECTION_CLOSED);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof StunCodecException || cause.getCause() instanceof StunCodecException) {
            // Framing is lost: there is no way to find the next message, so the connection goes.
            processor.context().counters().malformed();
            LOG.debug("closing {} after a broken frame: {}", link == null ? null : link.fiveTuple(),
                    LogText.escape(cause.getMessage()));
        } else {
            LOG.debug("closing {}: {}", link == null ? null : link.fiveTuple(), cause.toString());
        }
        ctx.close();
    }

    /**
     * The way back to a TCP or TLS client: its connection. Relayed data is dropped while the connection
     * is not writable (its outbound buffer is past the high water mark), so a client that stops reading
     * costs at most that buffer; responses are always written.
     */
    record StreamLink(Channel channel, FiveTuple fiveTuple, ServerCounters counters) implements ClientLink {
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
            Flusher.write(channel, frame);
        }

        @Override
        public boolean relay(ByteBuf frame) {
            if (!channel.isWritable()) {
                frame.release();
                counters.droppedToClient();
                return false;
            }
            Flusher.write(channel, frame);
            return true;
        }

        @Override
        public boolean isActive() {
            return channel.isActive();
        }

        @Override
        public void close() {
            channel.close();
        }
    }
}
