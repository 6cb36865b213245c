package dev.turnlab.server.relay.tcp;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;

/**
 * Opens the sockets of TCP relays (RFC 6062) with the server's transport. Both kinds set SO_REUSEADDR and
 * SO_REUSEPORT, which Linux needs before a connection may leave from the address and port a relay listens
 * on (§5.2: "The local endpoint of the TCP connection MUST be at the address and port of the relayed
 * transport address"). Every connection starts without reading: a peer's data waits in the kernel, behind
 * TCP's receive window, until a client data connection is bound to it (§5.2, §5.3).
 */
public interface TcpSockets {

    /**
     * Binds a listening relay socket to {@code local} on {@code loop}; the connections it accepts run on
     * {@code loop} too, with {@code acceptor} (sharable) as their handler. Fails when the port is taken.
     */
    ChannelFuture listen(EventLoop loop, InetSocketAddress local, ChannelHandler acceptor);

    /**
     * Connects from {@code local} to {@code remote} on {@code loop}, read by {@code handler}; fails when the peer
     * refuses or after {@code timeoutMillis}.
     */
    ChannelFuture connect(EventLoop loop, InetSocketAddress local, InetSocketAddress remote, ChannelHandler handler,
            int timeoutMillis);
}
