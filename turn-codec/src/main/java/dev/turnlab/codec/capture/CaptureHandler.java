package dev.turnlab.codec.capture;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * Records what passes this point of a channel's pipeline in a {@link PacketCapture}, and passes it on
 * untouched (it neither retains nor releases). On a datagram channel every {@link DatagramPacket} in and
 * out, and the bytes of a connected one; on a stream channel the bytes in and out as a TCP flow, opened
 * when the channel is active and closed when it goes. Put it next to the socket to record the wire, or
 * behind a TLS handler to record the plaintext as if it were TCP on the TLS port. One per channel.
 */
public final class CaptureHandler extends ChannelDuplexHandler {

    private final PacketCapture capture;
    private TcpFlow flow;
    private boolean initiator;

    /** A handler that records into {@code capture}. */
    public CaptureHandler(PacketCapture capture) {
        this.capture = capture;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            open(ctx.channel());
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        open(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DatagramPacket packet) {
            InetSocketAddress local = packet.recipient() != null ? packet.recipient() : local(ctx.channel());
            capture.udp(packet.sender(), local, packet.content());
        } else if (msg instanceof ByteBuf bytes) {
            record(ctx.channel(), bytes, false);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof DatagramPacket packet) {
            InetSocketAddress local = packet.sender() != null ? packet.sender() : local(ctx.channel());
            InetSocketAddress remote = packet.recipient() != null ? packet.recipient() : remote(ctx.channel());
            capture.udp(local, remote, packet.content());
        } else if (msg instanceof ByteBuf bytes) {
            record(ctx.channel(), bytes, true);
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (flow != null) {
            flow.close();
        }
        ctx.fireChannelInactive();
    }

    /** A stream's flow starts with its handshake; the initiator is the side that connected (a child channel was accepted). */
    private void open(Channel channel) {
        if (flow != null || channel instanceof DatagramChannel) {
            return;
        }
        InetSocketAddress local = local(channel);
        InetSocketAddress remote = remote(channel);
        if (local == null || remote == null) {
            return;
        }
        initiator = channel.parent() == null;
        flow = initiator ? capture.tcp(local, remote) : capture.tcp(remote, local);
    }

    private void record(Channel channel, ByteBuf bytes, boolean outbound) {
        if (channel instanceof DatagramChannel) {
            // A connected datagram channel reads and writes bare buffers to and from its one remote address.
            InetSocketAddress local = local(channel);
            InetSocketAddress remote = remote(channel);
            capture.udp(outbound ? local : remote, outbound ? remote : local, bytes);
        } else {
            // A client's first request can come before channelActive: Netty completes the connect promise first.
            open(channel);
            if (flow != null) {
                flow.data(outbound == initiator, bytes);
            }
        }
    }

    private static InetSocketAddress local(Channel channel) {
        return channel.localAddress() instanceof InetSocketAddress a ? a : null;
    }

    private static InetSocketAddress remote(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress a ? a : null;
    }
}
