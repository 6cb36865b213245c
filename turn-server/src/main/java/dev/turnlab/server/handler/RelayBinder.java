package dev.turnlab.server.handler;

import dev.turnlab.server.relay.RelayHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;

/** Opens relay sockets: a UDP channel bound to {@code address} on {@code loop}, read by {@code handler}. */
@FunctionalInterface
public interface RelayBinder {

    /** Binds a relay socket; the future fails when the port is taken by another process. */
    ChannelFuture bind(EventLoop loop, InetSocketAddress address, RelayHandler handler);
}
