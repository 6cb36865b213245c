package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.relayed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.XorMappedAddress;
import dev.turnlab.server.allocation.RelayPortAllocator;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import dev.turnlab.testing.tools.Peer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static NAT addressing, an injected port allocator, and TLS from certificate files. */
class RelayAddressingTest {

    @TempDir
    Path dir;

    @Test
    void externalAddressIsAdvertisedWhileRelaysBindToTheRelayAddress() throws Exception {
        // A dual-NIC Expressway-E with static NAT: sockets on the private side, the public address advertised.
        try (TurnServer server = TestServers.loopback(MutableClock.now()).relayAddress("127.0.0.1")
                        .externalAddress("198.51.100.7").build().start();
                BlockingClient client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                Peer peer = new Peer()) {
            InetSocketAddress advertised = relayed(client.allocate());
            assertThat(advertised.getAddress()).isEqualTo(InetAddress.getByName("198.51.100.7"));

            client.createPermission(peer.address());
            peer.send(new InetSocketAddress("127.0.0.1", advertised.getPort()), "via the private side".getBytes(StandardCharsets.UTF_8));
            assertThat(client.receiveRaw(2000)).isNotNull();
        }
    }

    @Test
    void injectedPortAllocatorDecidesThePorts() throws Exception {
        Deque<Integer> handedOut = new ArrayDeque<>();
        RelayPortAllocator fixed = new RelayPortAllocator() {
            private final Deque<Integer> free = new ArrayDeque<>(List.of(31991, 31993));

            @Override
            public synchronized int acquire(boolean even) {
                Integer port = free.poll();
                if (port != null) {
                    handedOut.add(port);
                }
                return port == null ? -1 : port;
            }

            @Override
            public synchronized boolean acquire(int port) {
                return free.remove(port);
            }

            @Override
            public synchronized void release(int port) {
                free.add(port);
            }

            @Override
            public synchronized int available() {
                return free.size();
            }
        };
        try (TurnServer server = TestServers.loopback(MutableClock.now()).relayPortAllocator(fixed).build().start();
                BlockingClient a = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
                BlockingClient b = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret");
                BlockingClient c = BlockingClient.udp(server.udpAddress(), "bob", "bob-secret")) {
            assertThat(relayed(a.allocate()).getPort()).isEqualTo(31991);
            assertThat(relayed(b.allocate()).getPort()).isEqualTo(31993);
            assertThat(BlockingClient.isError(c.allocate(), 508)).isTrue();
            assertThat(handedOut).containsExactly(31991, 31993);
        }
    }

    @Test
    void tlsWithCertificateAndKeyFiles() throws Exception {
        KeyPair keys = SelfSignedCertificate.keyPair();
        X509Certificate certificate = SelfSignedCertificate.certificate(keys);
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        try (TurnServer server = TestServers.loopback(MutableClock.now()).tlsPort(0).tlsCertificate(cert, key)
                        .build().start();
                BlockingClient client = BlockingClient.tls(server.tlsAddress(), "alice", "alice-secret")) {
            StunMessage response = client.exchange(StunMessage.request(Method.BINDING).build());
            assertThat(response.get(XorMappedAddress.class).address()).isEqualTo(client.localAddress());
            assertThat(client.peerCertificate()).isEqualTo(certificate);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
