package dev.turnlab.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.Allocation;
import dev.turnlab.client.Transport;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.TurnResult;
import dev.turnlab.codec.attribute.AddressFamily;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.server.TurnServer;
import dev.turnlab.testing.tools.Peer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * IPv6 through our server with our client (RFC 8656 §7.2, §18.6, §12): a server listening and relaying on
 * 127.0.0.1 and {@code ::1} gives each client the relay family it asks for with REQUESTED-ADDRESS-FAMILY,
 * whatever the family of the client's own address, and relays both ways to a peer of that family; a peer
 * of the other family is 443 Peer Address Family Mismatch. A server without relays of the family asked
 * for answers 440 Address Family not Supported. Skipped when the machine has no IPv6 loopback.
 */
class Ipv6RelayTest {

    @BeforeAll
    static void ipv6Loopback() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            assertThat(s.getLocalAddress()).isInstanceOf(Inet6Address.class);
        } catch (IOException e) {
            Assumptions.abort("no usable IPv6 loopback (::1) on this machine: " + e);
        }
    }

    @ParameterizedTest(name = "client on {0} over {2}, {1} relay")
    @CsvSource({
        "::1, IPV6, UDP", "::1, IPV6, TCP", "127.0.0.1, IPV6, UDP", "127.0.0.1, IPV6, TCP",
        "::1, IPV4, UDP", "::1, IPV4, TCP", "127.0.0.1, IPV4, UDP"})
    void aDualStackServerRelaysTheFamilyAskedFor(String clientSide, AddressFamily family, Transport transport)
            throws Exception {
        try (TurnServer server = LoopbackServers.standard().listen("::1").build().start()) {
            InetSocketAddress listener = listener(server, clientSide);
            String peerSide = family == AddressFamily.IPV6 ? "::1" : "127.0.0.1";
            String otherSide = family == AddressFamily.IPV6 ? "127.0.0.1" : "::1";
            BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
            try (Peer peer = Peer.on(peerSide);
                    TurnClient client = client(listener, transport).requestedAddressFamily(family)
                            .onData((from, data) -> received.add(data)).build()) {
                Allocation allocation = client.allocate().join().value();
                assertThat(allocation.relayedAddress().getAddress().getClass()).isEqualTo(classOf(family));
                assertThat(allocation.mappedAddress().getAddress()).isEqualTo(InetAddress.getByName(clientSide));

                assertThat(client.channelBind(peer.address()).join().value()).isEqualTo(0x4000);
                client.send(peer.address(), bytes("to peer")).join();
                Peer.Received atPeer = peer.echo(5000);
                TurnResult<?> mismatch = client.createPermission(InetAddress.getByName(otherSide)).join();

                assertThat(atPeer).isNotNull();
                assertThat(atPeer.sender()).isEqualTo(allocation.relayedAddress());
                assertThat(atPeer.data()).isEqualTo(bytes("to peer"));
                assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(bytes("to peer"));
                assertThat(mismatch.error().map(ErrorCode::code)).hasValue(443);
            }
        }
    }

    @Test
    void anIpv6OnlyServerAnswers440ToAnIpv4Request() throws Exception {
        try (TurnServer server = LoopbackServers.standard().listen("::1").relayAddress("::1").build().start();
                TurnClient asked = client(listener(server, "::1"), Transport.UDP)
                        .requestedAddressFamily(AddressFamily.IPV4).build();
                TurnClient defaulted = client(listener(server, "127.0.0.1"), Transport.UDP).build()) {
            assertThat(asked.allocate().join().error().map(ErrorCode::code)).hasValue(440);
            assertThat(defaulted.allocate().join().error().map(ErrorCode::code)).hasValue(440);
        }
    }

    @Test
    void anIpv4OnlyServerAnswers440ToAnIpv6Request() throws Exception {
        try (TurnServer server = LoopbackServers.standard().build().start();
                TurnClient client = client(server.udpAddress(), Transport.TCP)
                        .requestedAddressFamily(AddressFamily.IPV6).build()) {
            TurnResult<Allocation> result = client.allocate().join();

            assertThat(result.error().map(ErrorCode::code)).hasValue(440);
            assertThat(result.error().map(ErrorCode::reason)).hasValue("Address Family not Supported");
        }
    }

    private static TurnClient.Builder client(InetSocketAddress server, Transport transport) {
        return TurnClient.builder().server(server).transport(transport)
                .credentials(LoopbackServers.USER, LoopbackServers.PASSWORD);
    }

    /** The server's UDP listener on {@code address} (its TCP listener shares the port). */
    private static InetSocketAddress listener(TurnServer server, String address) throws IOException {
        InetAddress wanted = InetAddress.getByName(address);
        List<InetSocketAddress> udp = server.udpAddresses();
        return udp.stream().filter(a -> a.getAddress().equals(wanted)).findFirst()
                .orElseThrow(() -> new AssertionError("no listener on " + address + " in " + udp));
    }

    private static Class<? extends InetAddress> classOf(AddressFamily family) {
        return family == AddressFamily.IPV6 ? Inet6Address.class : Inet4Address.class;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
