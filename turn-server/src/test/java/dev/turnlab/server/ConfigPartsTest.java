package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.server.allocation.Lifetimes;
import dev.turnlab.server.LoginLimits;
import dev.turnlab.server.fault.Faults;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each part of the configuration checks itself where it is defined, with the builder's one-line messages. */
class ConfigPartsTest {

    private static final List<InetAddress> WILDCARD = List.of(ip("0.0.0.0"));

    @Test
    void listenersNeedAKindAndTlsAPortOfItsOwn() {
        assertThatThrownBy(() -> new ListenerConfig(WILDCARD, 3478, false, false, -1, null, null))
                .hasMessage("listeners: none (expected: UDP, TCP, TLS or DTLS enabled)");
        assertThatThrownBy(() -> new ListenerConfig(WILDCARD, 3478, true, true, 5349, null, null, 3478, TlsSettings.DEFAULTS))
                .hasMessage("dtlsPort: 3478 (expected: not the UDP port)");
        assertThatThrownBy(() -> new ListenerConfig(WILDCARD, 3478, true, true, 5349, null, null, -2, TlsSettings.DEFAULTS))
                .hasMessage("dtlsPort: -2 (expected: 0-65535)");
        assertThat(new ListenerConfig(WILDCARD, 3478, false, true, -1, null, null, 3478, TlsSettings.DEFAULTS).dtls()).isTrue();
        assertThat(new ListenerConfig(WILDCARD, 3478, true, true, 5349, null, null).dtls()).isFalse();
        assertThatThrownBy(() -> new ListenerConfig(WILDCARD, 3478, true, true, 3478, null, null))
                .hasMessage("tlsPort: 3478 (expected: not the UDP/TCP port)");
        assertThatThrownBy(() -> new ListenerConfig(WILDCARD, 65536, true, true, -1, null, null))
                .hasMessage("port: 65536 (expected: 0-65535)");
        assertThat(new ListenerConfig(WILDCARD, 0, false, false, 0, null, null).tls()).isTrue();
    }

    @Test
    void authNeedsAValidRealmAndAPositiveNonceLifetime() {
        assertThatThrownBy(() -> auth("", Map.of("u", "p"), Duration.ofMinutes(10)))
                .hasMessage("realm: '' (expected: 1-127 characters, RFC 8489 §14.9)");
        assertThatThrownBy(() -> auth("turnlab", Map.of("u", "p"), Duration.ZERO))
                .hasMessage("nonceLifetime: PT0S (expected: positive)");
        assertThatThrownBy(() -> auth("turnlab", Map.of("a:b", "p"), Duration.ofMinutes(10)))
                .hasMessage("user: a:b (expected: a non-empty name without ':')");
        assertThat(auth("turnlab", Map.of("alice", "hunter2"), Duration.ofMinutes(10)).toString())
                .contains("alice").doesNotContain("hunter2");
    }

    @Test
    void relaysHaveOneAddressPerFamilyAndAConcreteExternalAddress() {
        assertThatThrownBy(() -> relay(List.of(ip("192.0.2.1"), ip("192.0.2.2")), List.of()))
                .hasMessage("relayAddress: [/192.0.2.1, /192.0.2.2] (expected: at most one per address family)");
        assertThatThrownBy(() -> relay(List.of(), List.of(ip("224.0.0.1"))))
                .hasMessage("externalAddress: 224.0.0.1 (expected: a unicast address)");
        assertThatThrownBy(() -> relay(List.of(), List.of(ip("0.0.0.0"))))
                .hasMessage("externalAddress: 0.0.0.0 (expected: a concrete address)");
    }

    @Test
    void limitsAndSocketsRefuseNegativeValues() {
        assertThatThrownBy(() -> new LimitsConfig(-1, 0, 1, 0, Duration.ofSeconds(1), ConnectionLimits.DEFAULT))
                .hasMessage("userQuota: -1 (expected: >= 0, 0 for no limit)");
        assertThatThrownBy(() -> new LimitsConfig(0, 0, 0, 0, Duration.ofSeconds(1), ConnectionLimits.DEFAULT))
                .hasMessage("peerQuota: 0 (expected: >= 1)");
        assertThatThrownBy(() -> new LimitsConfig(0, 0, 1, 0, Duration.ZERO, ConnectionLimits.DEFAULT))
                .hasMessage("idleTimeout: PT0S (expected: positive)");
        assertThatThrownBy(() -> new SocketConfig(-1, 0, 0, 0)).hasMessage("ioThreads: -1 (expected: >= 0)");
        assertThatThrownBy(() -> new SocketConfig(0, 0, 0, -1))
                .hasMessage("udpSendBuffer: -1 (expected: 0-1073741824 bytes, 0 for the kernel's default)");
    }

    @Test
    void theIoTransportIsAutoUnlessNamedAndParsesFromTheOptionsSpelling() {
        assertThat(SocketConfig.DEFAULT.ioTransport()).isEqualTo(IoTransport.AUTO);
        TurnServer nio = TurnServer.builder().user("alice", "secret").ioTransport(IoTransport.NIO).build();
        assertThat(nio.config().sockets().ioTransport()).isEqualTo(IoTransport.NIO);
        assertThat(nio.ioTransport()).isEqualTo(IoTransport.NIO);
        assertThat(IoTransport.parse("IO_URING")).isEqualTo(IoTransport.IO_URING);
        assertThat(IoTransport.IO_URING).hasToString("io_uring");
        assertThatThrownBy(() -> IoTransport.parse("kqueue")).hasMessage("ioTransport: kqueue (expected: auto, io_uring, epoll or nio)");
        assertThatThrownBy(() -> new SocketConfig(0, 0, 0, 0, null)).hasMessage("ioTransport");
    }

    @Test
    void theWholeRefusesRelayPortsHoldingAListeningPort() {
        ListenerConfig listeners = new ListenerConfig(WILDCARD, 3478, true, true, 25000, null, null);
        assertThatThrownBy(() -> new TurnServerConfig(listeners, auth("turnlab", Map.of("u", "p"), Duration.ofMinutes(10)),
                relay(List.of(), List.of()), LimitsConfig.DEFAULT, SocketConfig.DEFAULT, Clock.systemUTC(), null,
                Profile.STANDARD, null, Faults.NONE, null, AlternateServers.NONE, null))
                .hasMessage("relayPorts: 24000-29999 (expected: not containing the listening ports)");
    }

    @Test
    void theWholeNeedsLocalUsersASharedSecretOrARedis() {
        ListenerConfig listeners = new ListenerConfig(WILDCARD, 3478, true, true, 5349, null, null);
        AuthConfig nobody = auth("turnlab", Map.of(), Duration.ofMinutes(10));
        assertThatThrownBy(() -> new TurnServerConfig(listeners, nobody, relay(List.of(), List.of()), LimitsConfig.DEFAULT,
                SocketConfig.DEFAULT, Clock.systemUTC(), null, Profile.STANDARD, null, Faults.NONE, null,
                AlternateServers.NONE, null))
                .hasMessage("users: none (expected: a user, a users file, an auth secret or a Redis)");
        ClusterConfig cluster = ClusterConfig.of("redis://127.0.0.1:6379")
                .withNode(null, new java.net.InetSocketAddress("192.0.2.1", 3478));
        assertThat(new TurnServerConfig(listeners, nobody, relay(List.of(), List.of()), LimitsConfig.DEFAULT,
                SocketConfig.DEFAULT, Clock.systemUTC(), null, Profile.STANDARD, null, Faults.NONE, null,
                AlternateServers.NONE, cluster).cluster().database()).isZero();
    }

    @Test
    void aClusterNodeOnAWildcardAddressNeedsANodeAddressThatClientsCanBeSentTo() {
        ListenerConfig listeners = new ListenerConfig(WILDCARD, 3478, true, true, 5349, null, null);
        ClusterConfig cluster = ClusterConfig.of("redis://127.0.0.1:6379");
        assertThatThrownBy(() -> new TurnServerConfig(listeners, auth("turnlab", Map.of("u", "p"), Duration.ofMinutes(10)),
                relay(List.of(), List.of()), LimitsConfig.DEFAULT, SocketConfig.DEFAULT, Clock.systemUTC(), null,
                Profile.STANDARD, null, Faults.NONE, null, AlternateServers.NONE, cluster))
                .hasMessage("nodeAddress: none for a cluster node listening on a wildcard address "
                        + "(expected: --node-address HOST:PORT, or --external-address)");
        assertThatThrownBy(() -> cluster.withNode("a", new java.net.InetSocketAddress("0.0.0.0", 3478)))
                .hasMessage("nodeAddress: /0.0.0.0:3478 (expected: a specific IP address and a port, HOST:PORT)");
    }

    @Test
    void aClusterNeedsARedisUriAndPositiveTimesAndNeverPrintsThePassword() {
        ClusterConfig c = ClusterConfig.of("redis://:s3cret@redis.example.net:6380/2");
        assertThat(c.database()).isEqualTo(2);
        assertThat(c.toString()).doesNotContain("s3cret").contains("redis://:***@redis.example.net:6380/2");
        assertThat(ClusterConfig.of("rediss://ops:pw@10.0.0.5").redisWithoutPassword()).isEqualTo("rediss://ops:***@10.0.0.5");
        assertThatThrownBy(() -> ClusterConfig.of("http://127.0.0.1")).hasMessageStartingWith("redis: scheme http (expected:");
        assertThatThrownBy(() -> ClusterConfig.of("redis:///0")).hasMessageStartingWith("redis: no host (expected:");
        assertThatThrownBy(() -> ClusterConfig.of("redis://h/x")).hasMessageStartingWith("redis: database 'x' (expected:");
        assertThatThrownBy(() -> ClusterConfig.of("redis://:pw@h w")).hasMessage(
                "redis: not a URI (expected: redis://[password@]host[:port][/database])");
        URI redis = URI.create("redis://127.0.0.1");
        assertThatThrownBy(() -> new ClusterConfig(redis, Duration.ofMillis(250), Duration.ofSeconds(10), Duration.ZERO,
                Duration.ofSeconds(2), Duration.ofSeconds(2), null))
                .hasMessage("nodeTtl: PT2S (expected: longer than the heartbeat interval PT2S)");
        assertThatThrownBy(() -> new ClusterConfig(redis, Duration.ZERO, Duration.ofSeconds(10), Duration.ZERO,
                Duration.ofSeconds(2), Duration.ofSeconds(6), null)).hasMessage("commandTimeout: PT0S (expected: positive)");
        assertThatThrownBy(() -> new ClusterConfig(redis, Duration.ofMillis(250), Duration.ofSeconds(10), Duration.ZERO,
                Duration.ofSeconds(2), Duration.ofSeconds(6), "a b")).hasMessage("nodeName: 'a b' (expected: printable, no spaces)");
    }

    @Test
    void theBuilderFillsEachPart() {
        TurnServerConfig c = TurnServer.builder().listen("127.0.0.1").port(0).tlsPort(0).user("u", "p").userQuota(3)
                .peerQuota(7).udpSockets(2).relayPorts(31000, 31099).allowLoopbackPeers(true).build().config();
        assertThat(c.listeners()).isEqualTo(new ListenerConfig(List.of(ip("127.0.0.1")), 0, true, true, 0, null, null, 0, TlsSettings.DEFAULTS));
        assertThat(c.auth().users()).containsOnlyKeys("u");
        assertThat(c.relay().ports()).isEqualTo(new PortRange(31000, 31099));
        assertThat(c.relay().allowLoopbackPeers()).isTrue();
        assertThat(c.limits().userQuota()).isEqualTo(3);
        assertThat(c.limits().peerQuota()).isEqualTo(7);
        assertThat(c.sockets()).isEqualTo(new SocketConfig(0, 2, SocketConfig.DEFAULT_UDP_BUFFER, SocketConfig.DEFAULT_UDP_BUFFER));
    }

    private static AuthConfig auth(String realm, Map<String, String> users, Duration nonceLifetime) {
        return new AuthConfig(realm, users, null, ErrorCode.UNAUTHORIZED, "turnlab", true, nonceLifetime, LoginLimits.DEFAULT);
    }

    private static RelayConfig relay(List<InetAddress> relayAddresses, List<InetAddress> externalAddresses) {
        return new RelayConfig(PortRange.EXPRESSWAY, relayAddresses, externalAddresses, false, List.of(), List.of(),
                Lifetimes.RFC_8656, true);
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
