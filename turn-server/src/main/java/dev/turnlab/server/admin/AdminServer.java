package dev.turnlab.server.admin;

import dev.turnlab.codec.HostPort;
import dev.turnlab.server.ListenerBindException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The HTTP/1.1 listener of the admin endpoints ({@code /metrics}, {@code /status}, {@code /status.html},
 * the admin API under {@code /api/}). It runs on an event loop group of its own, so a scrape never competes
 * with relayed media for a thread. With an {@link AdminToken} every endpoint but the status page's static
 * files asks for it; without one it must be bound to loopback ({@link dev.turnlab.server.AdminConfig}).
 */
public final class AdminServer implements AutoCloseable {

    /** The largest request accepted (a 413 beyond): the endpoints take no body or a few lines of faults. */
    private static final int MAX_REQUEST = 8192;
    private static final long IDLE_SECONDS = 60;

    private final Channel channel;

    private AdminServer(Channel channel) {
        this.channel = channel;
    }

    /** The class /status writes with; its artifact is an optional dependency of turn-server. */
    static final String JACKSON_GENERATOR = "com.fasterxml.jackson.core.JsonGenerator";

    /**
     * Binds {@code address} on {@code group} with {@code channelType}, asking for {@code token} (null: none);
     * fails if the address cannot be bound, or, before binding, if jackson-core is not on the class path.
     */
    public static AdminServer bind(InetSocketAddress address, AdminToken token, ServerMonitor monitor,
            EventLoopGroup group, Class<? extends ServerChannel> channelType) {
        AdminAccess access = new AdminAccess(token);
        String missing = missingJackson(AdminServer::loadable);
        if (missing != null) {
            throw new IllegalStateException(missing);
        }
        ChannelFuture f = new ServerBootstrap().group(group).channel(channelType)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS),
                                new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST),
                                new AdminHandler(monitor, access));
                    }
                })
                .bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw ListenerBindException.of("admin", address, f.cause());
        }
        return new AdminServer(f.channel());
    }

    /** The bound address (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * Parses {@code ADDR:PORT} ({@code 127.0.0.1:9641}, {@code [::1]:9641}, {@code localhost:0}); the
     * address must be numeric or resolvable, the port 0-65535.
     */
    public static InetSocketAddress parseAddress(String text) {
        String expected = "admin: " + text + " (expected: ADDR:PORT, e.g. 127.0.0.1:9641)";
        try {
            HostPort hostPort = HostPort.parse(text);
            if (!hostPort.hasPort()) {
                throw new IllegalArgumentException(expected);
            }
            return hostPort.resolve();
        } catch (IllegalArgumentException | UnknownHostException e) {
            throw new IllegalArgumentException(expected);
        }
    }

    /**
     * Null when {@code loadable} finds Jackson's generator, else the one line that says which artifact the
     * admin listener needs: a server embedded without it fails its start, not its first /status request.
     */
    static String missingJackson(Predicate<String> loadable) {
        if (loadable.test(JACKSON_GENERATOR)) {
            return null;
        }
        return "admin: the admin listener needs com.fasterxml.jackson.core:jackson-core on the class path for /status "
                + "(an optional dependency of turn-server; turn-server-app has it)";
    }

    private static boolean loadable(String className) {
        try {
            Class.forName(className, false, AdminServer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Closes the listener and its connections' acceptor; the group is the caller's to shut down. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
    }
}
