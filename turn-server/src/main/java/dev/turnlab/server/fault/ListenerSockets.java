package dev.turnlab.server.fault;

import dev.turnlab.server.allocation.FiveTuple;
import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's listening sockets as the faults see them. {@code reject-udp} and {@code reject-tcp} close a
 * transport's sockets, so that the kernel answers datagrams with ICMP port unreachable and connection
 * attempts with RST; switching them off binds the same address and port again with the same bootstrap.
 * {@code silent-tcp} stops accepting: the TCP listener is bound again without reading, so new connections
 * complete the handshake in the kernel and wait in the backlog (the nearest a process gets to a firewall
 * that drops SYNs), and are accepted and served once it is off.
 * Accepted connections stay open either way, as a firewall's established flows would.
 */
public final class ListenerSockets {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerSockets.class);

    /** One listening socket: its bootstrap and address, and its channel while bound. */
    private static final class Entry {
        final String transport;
        final InetSocketAddress address;
        final AbstractBootstrap<?, ?> bootstrap;
        Channel channel;

        Entry(String transport, Channel channel, AbstractBootstrap<?, ?> bootstrap) {
            this.transport = transport;
            this.address = (InetSocketAddress) channel.localAddress();
            this.bootstrap = bootstrap;
            this.channel = channel;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private boolean closed;

    ListenerSockets() {
    }

    /**
     * Records a bound listener: {@code transport} is {@code udp}, {@code tcp} or {@code tls}; {@code bootstrap}
     * must be able to bind again (its handler a fresh one per channel).
     */
    public synchronized void bound(String transport, Channel channel, AbstractBootstrap<?, ?> bootstrap) {
        entries.add(new Entry(transport, channel, bootstrap));
    }

    /** Forgets listeners the server closed again while it looked for a port both UDP and TCP could take. */
    synchronized void forgetClosed() {
        entries.removeIf(e -> e.channel != null && !e.channel.isOpen());
    }

    /** Makes the sockets what {@code faults} asks: closed or bound, accepting or not. */
    synchronized void apply(Faults faults) {
        if (closed) {
            return;
        }
        for (Entry e : entries) {
            boolean reject = e.transport.equals("udp") && faults.isOn(Fault.REJECT_UDP)
                    || e.transport.equals("tcp") && faults.isOn(Fault.REJECT_TCP);
            // A server channel that does not read does not accept: connections wait in the kernel's backlog.
            boolean accept = !(e.transport.equals("tcp") && faults.isOn(Fault.SILENT_TCP));
            if (reject && e.channel != null) {
                close(e);
            } else if (!reject && e.channel == null) {
                e.channel = rebind(e, accept);
            } else if (e.channel != null && !accept && e.channel.config().isAutoRead()) {
                // Rather than turn reads off on a listener, where a read already asked for may still accept a
                // connection (depending on the transport), bind one that has never read: it accepts none.
                close(e);
                e.channel = rebind(e, false);
            } else if (e.channel != null && accept && !e.channel.config().isAutoRead()) {
                e.channel.config().setAutoRead(true);
            }
        }
    }

    private static void close(Entry e) {
        e.channel.close().awaitUninterruptibly();
        e.channel = null;
        LOG.debug("{} listener {} closed", e.transport, FiveTuple.format(e.address));
    }

    private static Channel rebind(Entry e, boolean accept) {
        ChannelFuture f = e.bootstrap.clone().option(ChannelOption.AUTO_READ, accept).bind(e.address)
                .awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IllegalStateException("cannot bind " + e.transport + " " + FiveTuple.format(e.address)
                    + " again: " + f.cause().getMessage(), f.cause());
        }
        LOG.debug("{} listener {} bound again", e.transport, FiveTuple.format(e.address));
        return f.channel();
    }

    /** Closes every listening socket, those bound again by {@link #apply} included; later changes touch none. */
    synchronized void close() {
        closed = true;
        for (Entry e : entries) {
            if (e.channel != null) {
                e.channel.close().awaitUninterruptibly();
            }
        }
    }
}
