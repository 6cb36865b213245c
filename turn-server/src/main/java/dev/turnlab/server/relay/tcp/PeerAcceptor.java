package dev.turnlab.server.relay.tcp;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The first handler of every connection a relay's listening socket accepts (RFC 6062 §5.3): hands it to
 * {@link TcpRelays#accepted}, which keeps it as a peer data connection or closes it. One for all relays.
 */
@ChannelHandler.Sharable
final class PeerAcceptor extends ChannelInboundHandlerAdapter {

    private final TcpRelays relays;

    PeerAcceptor(TcpRelays relays) {
        this.relays = relays;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        relays.accepted(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
