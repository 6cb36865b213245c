package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.Allocation;
import dev.turnlab.client.TurnClient;
import dev.turnlab.client.TurnResult;
import dev.turnlab.server.BandwidthLimits;
import dev.turnlab.server.Cidr;
import dev.turnlab.server.PortRange;
import dev.turnlab.server.TlsSettings;
import dev.turnlab.server.TurnServerConfig;
import dev.turnlab.server.allocation.Lifetimes;
import dev.turnlab.testing.tools.FreePorts;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.Software;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A coturn operator's turnserver.conf, as it is: Debian's lab set-up and an Expressway-E stand-in. */
class CoturnConfigTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<String> warnings = new ArrayList<>();

    /** What {@code -c FILE} plus {@code args} configure, as Main.run reads them, not started. */
    private TurnServerConfig configOf(String resource, String... args) throws Exception {
        List<String> all = new ArrayList<>(CoturnOptions.translate(ConfigFile.arguments(resource(resource)), warnings::add));
        all.addAll(CoturnOptions.translate(List.of(args), warnings::add));
        Main main = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        new CommandLine(main).setOverwrittenOptionsAllowed(true).parseArgs(all.toArray(new String[0]));
        return main.build().config();
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(CoturnConfigTest.class.getResource("/coturn/" + name).toURI());
    }

    @Test
    void debiansTurnserverConfBecomesOurConfiguration() throws Exception {
        TurnServerConfig config = configOf("debian-turnserver.conf");

        assertThat(config.listeners().port()).isEqualTo(3478);
        assertThat(config.listeners().tlsPort()).isEqualTo(5349);
        assertThat(config.listeners().addresses()).containsExactly(InetAddress.getByName("172.17.19.101"));
        assertThat(config.relay().ports()).isEqualTo(new PortRange(49152, 65535));
        assertThat(config.relay().relayAddresses()).containsExactly(InetAddress.getByName("172.17.19.101"));
        assertThat(config.relay().externalAddresses()).containsExactly(InetAddress.getByName("60.70.80.91"));
        assertThat(config.auth().realm()).isEqualTo("mycompany.org");
        assertThat(config.auth().users()).containsOnlyKeys("username1", "username2");
        assertThat(config.auth().nonceLifetime()).isEqualTo(Duration.ofSeconds(600));
        assertThat(config.relay().lifetimes()).isEqualTo(Lifetimes.RFC_8656);
        assertThat(config.limits().totalQuota()).isEqualTo(100);
        assertThat(config.limits().userQuota()).isEqualTo(12);
        assertThat(config.relay().deniedPeers()).contains(Cidr.parse("0.0.0.0/8"), Cidr.parse("10.0.0.0/8"),
                Cidr.parse("172.16.0.0/12"), Cidr.parse("192.168.0.0/16"), Cidr.parse("83.166.64.0/19"));
        assertThat(config.relay().allowedPeers()).contains(Cidr.parse("10.1.2.3/32"));
        assertThat(config.listeners().tlsSettings()).as("cipher-list=\"DEFAULT\"").isEqualTo(TlsSettings.DEFAULTS);
        assertThat(warnings).isEmpty();
    }

    @Test
    void theExpresswayStandInConfBecomesOurConfiguration() throws Exception {
        TurnServerConfig config = configOf("expressway-turnserver.conf");

        assertThat(config.listeners().port()).isEqualTo(3478);
        assertThat(config.listeners().addresses()).containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThat(config.listeners().tlsPort()).as("no TLS").isEqualTo(-1);
        assertThat(config.relay().ports()).isEqualTo(new PortRange(24000, 29999));
        assertThat(config.auth().realm()).isEqualTo("TANDBERG");
        assertThat(config.auth().users()).containsOnlyKeys("expturncreds");
        assertThat(config.relay().allowedPeers()).contains(Cidr.parse("127.0.0.0/8"));
        assertThat(config.limits().bandwidth()).as("max-bps=0: no limit").isEqualTo(BandwidthLimits.NONE);
        assertThat(warnings).isEmpty();
    }

    @Test
    void lifetimeNonceAndSoftwareOptionsReachTheirConfigParts() throws Exception {
        TurnServerConfig config = configOf("expressway-turnserver.conf", "--max-allocate-lifetime", "300",
                "--channel-lifetime", "120", "--permission-lifetime", "60", "--stale-nonce", "30",
                "--no-software-attribute");

        assertThat(config.relay().lifetimes()).isEqualTo(new Lifetimes(Duration.ofSeconds(300), Duration.ofSeconds(300),
                Duration.ofSeconds(60), Duration.ofSeconds(120), Lifetimes.RFC_8656.channelHold()));
        assertThat(config.auth().nonceLifetime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.auth().software()).isEmpty();
    }

    @Test
    void badValuesOfCoturnOptionsAreOneLineAndStatus2() {
        assertThat(run("--channel-lifetime", "0")).isEqualTo(2);
        assertThat(run("--stale-nonce=soon")).isEqualTo(2);
        assertThat(run("--denied-peer-ip", "10.0.0.9-10.0.0.1")).isEqualTo(2);
        assertThat(run("--min-port", "30000", "--max-port", "20000")).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(4).allSatisfy(l -> assertThat(l).startsWith("turn-server: "));
    }

    @Test
    void theExpresswayStandInStartsFromItsConfAndAnswersAndKeepsAPidFile() throws Exception {
        FreePorts.Block relays = FreePorts.udpBlock(50);
        Path pidfile = dir.resolve("turnserver.pid");
        CountDownLatch stop = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> status = executor.submit(() -> Main.run(new String[] {"-c",
                    resource("expressway-turnserver.conf").toString(), "--listening-port", "0",
                    "--min-port", Integer.toString(relays.min()), "--max-port", Integer.toString(relays.max()),
                    "--pidfile", pidfile.toString()}, new PrintWriter(out, true), new PrintWriter(err, true), stop));
            int port = Integer.parseInt(await("listening: udp 127\\.0\\.0\\.1:(\\d+)").group(1));
            assertThat(out.toString()).contains("realm TANDBERG", "tls off").doesNotContain("Demo credential");
            assertThat(err.toString()).as("every option of the conf is ours").isEmpty();
            assertThat(softwareOfBindingResponse(port)).as("SOFTWARE by default").isNotNull();
            assertThat(Files.readString(pidfile).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
            try (TurnClient client = TurnClient.builder().server(new InetSocketAddress("127.0.0.1", port))
                    .credentials("expturncreds", "lab-secret").build()) {
                TurnResult<Allocation> allocated = client.allocate().join();
                assertThat(allocated.isSuccess()).isTrue();
            }
            stop.countDown();
            assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(pidfile).doesNotExist();
        } finally {
            stop.countDown();
            executor.shutdownNow();
        }
    }

    /** The SOFTWARE attribute of the server's answer to a Binding request over UDP, or null. */
    static Software softwareOfBindingResponse(int port) throws IOException {
        byte[] request = new byte[20];
        request[1] = 0x01; // Binding request, no attributes (RFC 8489 §5)
        request[4] = 0x21;
        request[5] = 0x12;
        request[6] = (byte) 0xA4;
        request[7] = 0x42;
        request[19] = 0x13;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(10_000);
            socket.send(new DatagramPacket(request, request.length, new InetSocketAddress("127.0.0.1", port)));
            DatagramPacket response = new DatagramPacket(new byte[1500], 1500);
            socket.receive(response);
            StunMessage answer = StunMessageCodec.decode(Unpooled.wrappedBuffer(response.getData(), 0, response.getLength()));
            assertThat(answer.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            return answer.get(Software.class);
        }
    }

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), new CountDownLatch(0));
    }

    private Matcher await(String regex) throws InterruptedException {
        return Printed.await(out, err, regex);
    }
}
