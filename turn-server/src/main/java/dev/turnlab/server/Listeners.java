package dev.turnlab.server;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The listening sockets of a server, and how they are bound. On each listening address TCP and UDP share
 * one port (RFC 8656 §3.1 gives them the same default); with port 0 the first UDP socket picks it and the
 * others follow, and if another process holds it for one of them, all start over on a new one. UDP binds
 * to each address a wildcard stands for ({@link UdpListenAddresses}), with several sockets per address
 * sharing the port through SO_REUSEPORT where the transport allows, one per event loop by default. TLS has
 * a port of its own. Not thread-safe: the server binds and closes under its own lock.
 */
final class Listeners {

    /** How many times port 0 is tried again when another socket holds the port the first UDP one got. */
    static final int PAIRING_ATTEMPTS = 10;

    /** Makes the bootstrap of each kind of listening socket, with its handlers. */
    interface Bootstraps {

        /** A UDP listener on {@code address}; with {@code reusePort}, one of several sharing its port. */
        Bootstrap udp(InetAddress address, boolean reusePort);

        /** A TCP listener. */
        ServerBootstrap tcp();

        /** A TLS listener. */
        ServerBootstrap tls();

        /** A DTLS listener on {@code address} (RFC 7350). */
        Bootstrap dtls(InetAddress address);
    }

    /** Told of every listening socket bound ("udp", "tcp", "tls" or "dtls"), with the bootstrap that made it. */
    interface BoundListener {
        void bound(String what, Channel channel, AbstractBootstrap<?, ?> bootstrap);
    }

    private final ListenerConfig config;
    private final int udpSocketsPerAddress;
    private final Bootstraps bootstraps;
    private final BoundListener observer;
    private final List<InetSocketAddress> udp = new ArrayList<>();
    private final List<InetSocketAddress> tcp = new ArrayList<>();
    private final List<InetSocketAddress> tls = new ArrayList<>();
    private final List<InetSocketAddress> dtls = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();

    /** Listeners as {@code config} describes, {@code udpSocketsPerAddress} UDP sockets on each address. */
    Listeners(ListenerConfig config, int udpSocketsPerAddress, Bootstraps bootstraps, BoundListener observer) {
        if (udpSocketsPerAddress < 1) {
            throw new IllegalArgumentException("udpSocketsPerAddress: " + udpSocketsPerAddress + " (expected: >= 1)");
        }
        this.config = config;
        this.udpSocketsPerAddress = udpSocketsPerAddress;
        this.bootstraps = bootstraps;
        this.observer = observer;
    }

    /**
     * UDP sockets per listening address: as configured, else one per event loop, where the transport can
     * share a port between them (SO_REUSEPORT); else one.
     */
    static int udpSocketsPerAddress(SocketConfig sockets, boolean reusePort, int eventLoops) {
        if (!reusePort) {
            return 1;
        }
        return sockets.udpSockets() > 0 ? sockets.udpSockets() : eventLoops;
    }

    /**
     * Binds every listener, on each listening address in turn; {@code local} are the addresses of this host
     * that are up, which a wildcard stands for. Throws {@link ListenerBindException} for a socket that cannot
     * be bound; the sockets bound until then stay open for {@link #close()}.
     */
    void bind(List<InetAddress> local) {
        List<List<InetAddress>> udpOn = UdpListenAddresses.of(config.addresses(), local);
        for (int i = 0; i < udpOn.size(); i++) {
            bind(config.addresses().get(i), udpOn.get(i));
        }
    }

    /**
     * Binds TCP to {@code address} and UDP to {@code udpOn}, all on one port, then TLS to {@code address} and DTLS
     * to {@code udpOn}.
     */
    private void bind(InetAddress address, List<InetAddress> udpOn) {
        // With port 0, the other sockets take the port the first UDP one got; if another socket holds it, start over.
        int attempts = config.port() == 0 && (config.tcp() || udpOn.size() > 1) ? PAIRING_ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            List<Channel> udpBound = new ArrayList<>();
            try {
                int port = config.port();
                for (InetAddress a : config.udp() ? udpOn : List.<InetAddress>of()) {
                    port = bindUdp(a, port, udpBound);
                }
                if (config.tcp()) {
                    tcp.add(bind(bootstraps.tcp(), new InetSocketAddress(address, port), "tcp"));
                }
                udpBound.stream().map(c -> (InetSocketAddress) c.localAddress()).distinct().forEach(udp::add);
                break;
            } catch (UncheckedIOException e) {
                udpBound.forEach(c -> {
                    channels.remove(c);
                    c.close().awaitUninterruptibly();
                });
                if (attempt >= attempts) {
                    throw e;
                }
            }
        }
        if (config.tls()) {
            tls.add(bind(bootstraps.tls(), new InetSocketAddress(address, config.tlsPort()), "tls"));
        }
        if (config.dtls()) {
            // Like UDP, on each address a wildcard stands for: answers leave from the address the client sent to.
            int port = config.dtlsPort();
            for (InetAddress a : udpOn) {
                InetSocketAddress bound = bind(bootstraps.dtls(a), new InetSocketAddress(a, port), "dtls");
                dtls.add(bound);
                port = bound.getPort();
            }
        }
    }

    /** Adds to {@code bound} the UDP sockets of one address; returns their port. */
    private int bindUdp(InetAddress address, int port, List<Channel> bound) {
        for (int i = 0; i < udpSocketsPerAddress; i++) {
            Channel c = bindChannel(bootstraps.udp(address, udpSocketsPerAddress > 1), new InetSocketAddress(address, port),
                    "udp");
            bound.add(c);
            port = ((InetSocketAddress) c.localAddress()).getPort();
        }
        return port;
    }

    private InetSocketAddress bind(AbstractBootstrap<?, ?> bootstrap, InetSocketAddress address, String what) {
        return (InetSocketAddress) bindChannel(bootstrap, address, what).localAddress();
    }

    private Channel bindChannel(AbstractBootstrap<?, ?> bootstrap, InetSocketAddress address, String what) {
        ChannelFuture f = bootstrap.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw ListenerBindException.of(what, address, f.cause());
        }
        channels.add(f.channel());
        observer.bound(what, f.channel(), bootstrap);
        return f.channel();
    }

    /** Every bound UDP listener address, in the order bound. */
    List<InetSocketAddress> udpAddresses() {
        return List.copyOf(udp);
    }

    /** Every bound TCP listener address. */
    List<InetSocketAddress> tcpAddresses() {
        return List.copyOf(tcp);
    }

    /** Every bound TLS listener address. */
    List<InetSocketAddress> tlsAddresses() {
        return List.copyOf(tls);
    }

    /** Every bound DTLS listener address. */
    List<InetSocketAddress> dtlsAddresses() {
        return List.copyOf(dtls);
    }

    /** The addresses of every bound listener: what peers may never be. */
    Set<InetSocketAddress> all() {
        Set<InetSocketAddress> all = new HashSet<>(udp);
        all.addAll(tcp);
        all.addAll(tls);
        all.addAll(dtls);
        return all;
    }

    /** Closes every listening socket, waiting for each. */
    void close() {
        for (Channel c : channels) {
            c.close().awaitUninterruptibly();
        }
    }
}
