package dev.turnlab.client.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.Allocation;
import dev.turnlab.client.Transport;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.TurnResult;
import dev.turnlab.client.check.CheckOptions;
import dev.turnlab.client.check.Finding;
import dev.turnlab.client.check.ServerAddress;
import dev.turnlab.client.check.ServerReport;
import dev.turnlab.client.check.ServerReport.RelayCheck;
import dev.turnlab.client.check.TurnCheck;
import dev.turnlab.codec.attribute.AddressFamily;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.testing.tools.Coturn;
import dev.turnlab.testing.tools.Peer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client against coturn's {@code turnserver} relaying from {@code ::1} only (RFC 8656 §7.2, §18.6):
 * listening on {@code ::1} and on 127.0.0.1, with IPv6 relays and no IPv4 ones. A client that asks for an
 * IPv6 relay with {@link TurnClient.Builder#requestedAddressFamily} gets one, over UDP and TCP and from
 * an IPv6 or an IPv4 client address, and data crosses it both ways with a peer on {@code ::1}; a client
 * that asks for nothing (IPv4) gets 440 Address Family not Supported, and a peer of the other family 443
 * Peer Address Family Mismatch; turn-check on {@code [::1]} passes with {@code --relay-family ipv6}. Skipped when the machine has no IPv6
 * loopback or coturn is missing.
 */
class CoturnIpv6Test {

    private static final String USER = "coturn-user";
    private static final String PASSWORD = "coturn-secret";

    private static Coturn coturn;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(ipv6Loopback(), "no usable IPv6 loopback (::1) on this machine");
        Assumptions.assumeTrue(Coturn.available(), Coturn.MISSING);
        coturn = Coturn.builder().user(USER, PASSWORD).address("::1").arguments("--listening-ip", "127.0.0.1").start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (coturn != null) {
            coturn.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"UDP", "TCP"})
    void anIpv6RelayCarriesDataBothWaysWithAPeerOnIpv6Loopback(Transport transport) throws Exception {
        assertRelaysToIpv6Peer(transport, coturn.address());
    }

    @Test
    void anIpv4ClientGetsAnIpv6Relay() throws Exception {
        InetSocketAddress ipv4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), coturn.address().getPort());
        assertRelaysToIpv6Peer(Transport.UDP, ipv4);
    }

    @Test
    void askingForNoFamilyIsAskingForIpv4AndGets440() {
        try (TurnClient client = TurnClient.builder().server(coturn.address()).credentials(USER, PASSWORD).build()) {
            TurnResult<Allocation> result = client.allocate().join();

            assertThat(result.isSuccess()).as("%s", result).isFalse();
            assertThat(result.error().map(ErrorCode::code)).hasValue(440);
        }
    }

    @Test
    void turnCheckOnIpv6PassesWithAnIpv6RelayAndDiagnoses440Without() {
        ServerAddress server = new ServerAddress("::1", coturn.address().getPort());
        CheckOptions check = CheckOptions.DEFAULTS.withCredentials(USER, PASSWORD).withTimeout(Duration.ofSeconds(2))
                .withProbes(3).withRelayTest(true);

        ServerReport ipv6 = TurnCheck.run(server, check.withRelayFamily(AddressFamily.IPV6));
        ServerReport defaulted = TurnCheck.run(server, check);

        assertThat(ipv6.findings()).as("%s", ipv6).isEmpty();
        assertThat(ipv6.allocation().relayedAddress().getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(ipv6.relay().status()).isEqualTo(RelayCheck.Status.PASSED);
        assertThat(defaulted.allocation().error().code()).isEqualTo(440);
        assertThat(defaulted.findings()).extracting(Finding::code).containsExactly("allocation-address-family");
    }

    private static void assertRelaysToIpv6Peer(Transport transport, InetSocketAddress server) throws Exception {
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        try (Peer peer = Peer.on("::1");
                TurnClient client = TurnClient.builder().server(server).transport(transport).credentials(USER, PASSWORD)
                        .requestedAddressFamily(AddressFamily.IPV6).onData((from, data) -> received.add(data)).build()) {
            TurnResult<Allocation> allocated = client.allocate().join();
            assertThat(allocated.isSuccess()).as("%s; coturn log:%n%s", allocated, coturn.log()).isTrue();
            Allocation allocation = allocated.value();
            assertThat(allocation.relayedAddress().getAddress()).isInstanceOf(Inet6Address.class);
            assertThat(allocation.relayedAddress().getPort()).isBetween(coturn.relayPorts().min(), coturn.relayPorts().max());
            assertThat(allocation.mappedAddress().getAddress().getClass())
                    .isEqualTo(server.getAddress() instanceof Inet4Address ? Inet4Address.class : Inet6Address.class);

            // A Send indication first (the permission installed by CreatePermission), then a channel.
            assertThat(client.createPermission(peer.address().getAddress()).join().isSuccess()).isTrue();
            client.send(peer.address(), bytes("by send")).join();
            Peer.Received bySend = peer.receive(5000);
            assertThat(bySend).isNotNull();
            assertThat(bySend.sender()).isEqualTo(allocation.relayedAddress());
            assertThat(client.channelBind(peer.address()).join().value()).isEqualTo(0x4000);
            client.send(peer.address(), bytes("by channel")).join();
            Peer.Received byChannel = peer.echo(5000);

            assertThat(new String(bySend.data(), StandardCharsets.UTF_8)).isEqualTo("by send");
            assertThat(byChannel).isNotNull();
            assertThat(new String(byChannel.data(), StandardCharsets.UTF_8)).isEqualTo("by channel");
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(bytes("by channel"));
            assertThat(client.createPermission(InetAddress.getByName("127.0.0.1")).join().error().map(ErrorCode::code))
                    .as("a peer of the other family").hasValue(443);
            assertThat(client.refresh(Duration.ZERO).join().isSuccess()).isTrue();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether a UDP socket binds to ::1 here (a container may have IPv6 disabled). */
    private static boolean ipv6Loopback() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
