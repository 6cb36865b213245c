package dev.turnlab.server.relay.tcp;

import dev.turnlab.server.ServerCounters;
import dev.turnlab.server.allocation.FiveTuple;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * The last handler of a client data connection once its ConnectionBind succeeded (RFC 6062 §5.4): no more
 * STUN framing, the client's bytes go to the peer as they are, and closing either connection closes the
 * other. Runs on the client data connection's event loop, which may not be the peer's.
 */
final class ClientDataHandler extends ChannelInboundHandlerAdapter {

    private final Channel peer;
    private final ServerCounters counters;

    ClientDataHandler(Channel peer, ServerCounters counters) {
        this.peer = peer;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            Splices.pass(ctx.channel(), peer, bytes);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Splices.resume(ctx.channel(), peer);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Splices.closeAfterFlush(peer);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
        Splices.failed(ctx, cause, counters, "client data connection from " + (client == null ? null : FiveTuple.format(client)));
    }
}
