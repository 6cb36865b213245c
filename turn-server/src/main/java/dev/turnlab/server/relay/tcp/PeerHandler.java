package dev.turnlab.server.relay.tcp;

import dev.turnlab.server.ServerCounters;
import dev.turnlab.server.allocation.FiveTuple;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * The handler of a peer data connection (RFC 6062 §2), on its own event loop: the peer's bytes go to the
 * bound client data connection as they are, counted peer → client in the server's relayed bytes; the bytes
 * written to the peer are counted client → peer. Closing either connection closes the other.
 */
final class PeerHandler extends ChannelDuplexHandler {

    private final PeerConnection connection;
    private final ServerCounters counters;

    PeerHandler(PeerConnection connection, ServerCounters counters) {
        this.connection = connection;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel data = connection.data();
        if (data == null || !(msg instanceof ByteBuf bytes)) {
            // Nothing is read before the bind (autoRead is off until then).
            ReferenceCountUtil.release(msg);
            return;
        }
        counters.tcpRelayedToClient(bytes.readableBytes());
        Splices.pass(ctx.channel(), data, bytes);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Channel data = connection.data();
        if (data != null) {
            data.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
            counters.tcpRelayedToPeer(bytes.readableBytes());
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Channel data = connection.data();
        if (data != null) {
            Splices.resume(ctx.channel(), data);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Splices.failed(ctx, cause, counters, "TCP connection with peer " + FiveTuple.format(connection.peer()));
    }
}
