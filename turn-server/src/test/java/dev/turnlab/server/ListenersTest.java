package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How the listening sockets are bound: one port for UDP and TCP, started over when taken, UDP per address;
 * on each transport this platform has.
 */
@ParameterizedClass
@EnumSource(NettyTransport.class)
class ListenersTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final NettyTransport transport;
    private EventLoopGroup group;
    private final List<Channel> bound = new ArrayList<>();
    private final List<ServerSocket> held = new ArrayList<>();
    private Listeners listeners;

    ListenersTest(NettyTransport transport) {
        this.transport = transport;
    }

    @BeforeEach
    void open() {
        assumeTrue(transport.isAvailable(), transport + " is not available here");
        group = transport.group(1);
    }

    @AfterEach
    void close() throws Exception {
        if (listeners != null) {
            listeners.close();
        }
        for (ServerSocket s : held) {
            s.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void udpAndTcpShareTheEphemeralPortTheFirstUdpSocketGot() {
        listeners = new Listeners(config(List.of(LOOPBACK), 0, -1), 1, new PlainBootstraps(false), this::record);

        listeners.bind(List.of(LOOPBACK));

        assertThat(listeners.udpAddresses()).singleElement()
                .satisfies(udp -> assertThat(listeners.tcpAddresses()).containsExactly(udp));
        assertThat(listeners.tlsAddresses()).isEmpty();
        assertThat(listeners.all()).containsExactlyInAnyOrderElementsOf(listeners.udpAddresses());
    }

    @Test
    void whenAnotherSocketHoldsThePortForTcpEverySocketStartsOverOnANewPort() {
        listeners = new Listeners(config(List.of(LOOPBACK), 0, -1), 1, new PlainBootstraps(true), this::record);

        listeners.bind(List.of(LOOPBACK));

        Channel abandoned = bound.get(0);
        int taken = ((InetSocketAddress) abandoned.localAddress()).getPort();
        assertThat(abandoned.isOpen()).isFalse();
        int port = listeners.udpAddresses().get(0).getPort();
        assertThat(port).isNotEqualTo(taken);
        assertThat(listeners.tcpAddresses()).containsExactly(new InetSocketAddress(LOOPBACK, port));
    }

    @Test
    void aFixedPortAnotherSocketHoldsFailsAtOnceNamingTheListenerAndLeavesNoUdpSocketOpen() throws Exception {
        ServerSocket other = holdTcpWhereUdpIsFree();
        int port = other.getLocalPort();
        listeners = new Listeners(config(List.of(LOOPBACK), port, -1), 1, new PlainBootstraps(false), this::record);

        assertThatThrownBy(() -> listeners.bind(List.of(LOOPBACK)))
                .isInstanceOf(ListenerBindException.class)
                .hasMessageStartingWith("cannot bind tcp " + LOOPBACK.getHostAddress() + ":" + port + ": ");
        assertThat(bound).hasSize(1);
        assertThat(bound.get(0).isOpen()).isFalse();
        assertThat(listeners.udpAddresses()).isEmpty();
    }

    @Test
    void aWildcardListensOnUdpAtEachLocalAddressOfItsFamilyAndOnTcpAtTheWildcard() throws Exception {
        InetAddress wildcard = InetAddress.getByName("0.0.0.0");
        listeners = new Listeners(config(List.of(wildcard), 0, -1), 1, new PlainBootstraps(false), this::record);

        listeners.bind(List.of(InetAddress.getByName("::1"), LOOPBACK));

        int port = listeners.udpAddresses().get(0).getPort();
        assertThat(listeners.udpAddresses()).containsExactly(new InetSocketAddress(LOOPBACK, port));
        // A TCP socket on the IPv4 wildcard may report itself as the dual-stack one, [::].
        assertThat(listeners.tcpAddresses()).singleElement().satisfies(tcp -> {
            assertThat(tcp.getAddress().isAnyLocalAddress()).isTrue();
            assertThat(tcp.getPort()).isEqualTo(port);
        });
    }

    @Test
    void tlsHasAPortOfItsOwn() {
        listeners = new Listeners(config(List.of(LOOPBACK), 0, 0), 1, new PlainBootstraps(false), this::record);

        listeners.bind(List.of(LOOPBACK));

        assertThat(listeners.tlsAddresses()).singleElement()
                .satisfies(tls -> assertThat(tls.getPort()).isNotEqualTo(listeners.udpAddresses().get(0).getPort()));
        assertThat(bound).hasSize(3);
    }

    @Test
    void severalUdpSocketsShareTheAddressAndPortWhereTheTransportAllows() {
        assumeTrue(transport.supportsReusePort(), "SO_REUSEPORT needs io_uring or epoll");
        listeners = new Listeners(config(List.of(LOOPBACK), 0, -1), 3, new PlainBootstraps(false), this::record);

        listeners.bind(List.of(LOOPBACK));

        InetSocketAddress udp = listeners.udpAddresses().get(0);
        assertThat(listeners.udpAddresses()).hasSize(1);
        assertThat(bound.subList(0, 3)).extracting(Channel::localAddress).containsOnly(udp);
    }

    @Test
    void udpSocketsPerAddressAreOnePerEventLoopUnlessConfiguredAndOneWithoutReusePort() {
        SocketConfig defaults = SocketConfig.DEFAULT;
        SocketConfig four = new SocketConfig(0, 4, 0, 0);
        assertThat(Listeners.udpSocketsPerAddress(defaults, true, 6)).isEqualTo(6);
        assertThat(Listeners.udpSocketsPerAddress(four, true, 6)).isEqualTo(4);
        assertThat(Listeners.udpSocketsPerAddress(four, false, 6)).isEqualTo(1);
    }

    private void record(String what, Channel channel, AbstractBootstrap<?, ?> bootstrap) {
        bound.add(channel);
    }

    /** A TCP port held by another socket whose UDP twin was free a moment ago: others on the host hold UDP ports too. */
    private ServerSocket holdTcpWhereUdpIsFree() throws Exception {
        for (int attempt = 1; ; attempt++) {
            ServerSocket s = hold(0);
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, s.getLocalPort()))) {
                return s;
            } catch (SocketException e) {
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private ServerSocket hold(int port) throws Exception {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(LOOPBACK, port));
        held.add(s);
        return s;
    }

    private static ListenerConfig config(List<InetAddress> addresses, int port, int tlsPort) {
        return new ListenerConfig(addresses, port, true, true, tlsPort, null, null);
    }

    /** Listeners that accept and read nothing; optionally, the first TCP bind finds its port taken. */
    private final class PlainBootstraps implements Listeners.Bootstraps {
        private boolean takeFirstTcpPort;

        PlainBootstraps(boolean takeFirstTcpPort) {
            this.takeFirstTcpPort = takeFirstTcpPort;
        }

        @Override
        public Bootstrap udp(InetAddress address, boolean reusePort) {
            Bootstrap b = new Bootstrap().group(group).channelFactory(transport.datagramChannel(address))
                    .handler(new ChannelInboundHandlerAdapter());
            return reusePort ? transport.reusePort(b) : b;
        }

        @Override
        public ServerBootstrap tcp() {
            if (takeFirstTcpPort) {
                takeFirstTcpPort = false;
                // The UDP socket just bound has the port TCP is about to ask for: another process takes it first.
                int port = ((InetSocketAddress) bound.get(bound.size() - 1).localAddress()).getPort();
                try {
                    hold(port);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return tls();
        }

        @Override
        public ServerBootstrap tls() {
            return new ServerBootstrap().group(group).channel(transport.serverChannel())
                    .childHandler(new ChannelInboundHandlerAdapter());
        }

        @Override
        public Bootstrap dtls(InetAddress address) {
            return udp(address, false);
        }
    }
}
