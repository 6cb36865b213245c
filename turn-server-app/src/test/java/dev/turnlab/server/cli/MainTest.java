package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.client.Allocation;
import dev.turnlab.client.TurnResult;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.server.IoTransport;
import dev.turnlab.server.LoginLimits;
import dev.turnlab.testing.tools.CapturedLog;
import dev.turnlab.server.ConnectionLimits;
import dev.turnlab.server.TurnServerConfig;
import dev.turnlab.codec.capture.CaptureConfig;
import dev.turnlab.client.TurnClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line: one clear line and status 2 for bad input; a config file; the demo credential. */
class MainTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), new CountDownLatch(0));
    }

    @Test
    void badRelayRangeIsOneLineAndStatus2() {
        assertThat(run("--relay-ports", "30000-20000")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("turn-server: relayPorts: 30000-20000 (expected: min <= max)" + System.lineSeparator());
    }

    @Test
    void unknownOptionAndBadValuesAreStatus2() {
        assertThat(run("--bogus")).isEqualTo(2);
        assertThat(run("--port", "x")).isEqualTo(2);
        assertThat(run("--user", "nopassword")).isEqualTo(2);
        assertThat(run("--deny-peer", "10.0.0.0/99")).isEqualTo(2);
        assertThat(run("--profile", "cucm")).isEqualTo(2);
        assertThat(run("--udp-recv-buffer", "-5")).isEqualTo(2);
        assertThat(run("--io-threads", "-1")).isEqualTo(2);
        assertThat(run("--users-file", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(run("--peer-quota", "0")).isEqualTo(2);
        assertThat(run("--log-rate", "-1")).isEqualTo(2);
        assertThat(run("--login-limits", "10,20")).isEqualTo(2);
        assertThat(run("--login-limits", "10,-1,60")).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(12).allSatisfy(l -> assertThat(l).startsWith("turn-server: "));
    }

    @Test
    void aPortInUseIsOneLineNamingAddressAndPortAndStatus2() throws Exception {
        try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            int port = holder.getLocalPort();
            assertThat(run("--listen", "127.0.0.1", "--port", Integer.toString(port), "--no-tls", "--relay-ports",
                    "31950-31989")).isEqualTo(2);
            assertThat(err.toString()).isEqualTo("turn-server: cannot bind udp 127.0.0.1:" + port
                    + ": Address already in use" + System.lineSeparator());
        }
        // The start never happened: no stop line before (or after) the cause.
        assertThat(log.lines()).noneMatch(l -> l.startsWith("TURN server st"));
    }

    @Test
    void aMissingCertificateFileIsNamedAsMissing() {
        Path missing = dir.resolve("no-such-cert.pem");
        assertThat(run("--listen", "127.0.0.1", "--port", "0", "--tls-port", "0", "--relay-ports", "31950-31989",
                "--cert", missing.toString(), "--pkey", dir.resolve("no-such-key.pem").toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("turn-server: tlsCertificate: " + missing + " (does not exist)"
                + System.lineSeparator());
        assertThat(log.lines()).noneMatch(l -> l.startsWith("TURN server st"));
    }

    @Test
    void aCertificatePathThatIsADirectoryIsSaidToBeOne() throws Exception {
        Path key = Files.writeString(dir.resolve("key.pem"), "not a key\n");
        assertThat(run("--listen", "127.0.0.1", "--port", "0", "--tls-port", "0", "--relay-ports", "31950-31989",
                "--cert", dir.toString(), "--pkey", key.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("turn-server: tlsCertificate: " + dir + " (is a directory)"
                + System.lineSeparator());
    }

    @Test
    void aRelayAddressNotOfThisHostFailsTheStartWithOneLine() {
        // 203.0.113.0/24 is TEST-NET-3 (RFC 5737): no host has it.
        assertThat(run("--listen", "127.0.0.1", "--port", "0", "--no-tls", "--relay-ports", "31950-31989",
                "--relay-address", "203.0.113.5")).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("turn-server: relayAddress: 203.0.113.5 (cannot bind: ")
                .endsWith("expected: an address of this host, the public one behind a NAT goes in --external-address)");
        assertThat(out.toString()).doesNotContain("listening");
        assertThat(log.lines()).noneMatch(l -> l.startsWith("TURN server st"));
    }

    @Test
    void ioTransportIsAutoByDefaultAndNamedByTheOption() {
        Main defaults = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        new CommandLine(defaults).parseArgs("--user", "alice:secret");
        assertThat(defaults.build().config().sockets().ioTransport()).isEqualTo(IoTransport.AUTO);

        Main nio = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        new CommandLine(nio).parseArgs("--user", "alice:secret", "--io-transport", "NIO");
        assertThat(nio.build().config().sockets().ioTransport()).isEqualTo(IoTransport.NIO);
        assertThat(err.toString()).isEmpty();

        assertThat(run("--io-transport", "kqueue")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("turn-server: ioTransport: kqueue (expected: auto, io_uring, epoll or nio)"
                + System.lineSeparator());
    }

    @Test
    void loginLimitsHaveDefaultsAndAnOption() {
        Main defaults = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        new CommandLine(defaults).parseArgs("--user", "alice:secret");
        assertThat(defaults.build().config().auth().loginLimits()).isEqualTo(LoginLimits.DEFAULT);

        Main set = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        new CommandLine(set).parseArgs("--user", "alice:secret", "--login-limits", "5,8,30,1000");
        assertThat(set.build().config().auth().loginLimits()).isEqualTo(new LoginLimits(5, 8, Duration.ofSeconds(30), 1000));

        Main off = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        new CommandLine(off).parseArgs("--user", "alice:secret", "--login-limits", "off");
        assertThat(off.build().config().auth().loginLimits().enabled()).isFalse();
        assertThat(err.toString()).isEmpty();
        assertThat(run("--login-limits", "1,2,x")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("turn-server: loginLimits: 1,2,x "
                + "(expected: PER_SOURCE,PER_USER,WINDOW_SECONDS[,TRACKED] as integers, or off)" + System.lineSeparator());
    }

    @Test
    void aClusterNeedsNoDemoUserItsUsersAreInRedis() {
        Main main = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        new CommandLine(main).parseArgs("--redis", "redis://127.0.0.1:6379", "--listen", "127.0.0.1");
        TurnServerConfig config = main.build().config();
        assertThat(config.auth().users()).isEmpty();
        assertThat(config.cluster().redisWithoutPassword()).isEqualTo("redis://127.0.0.1:6379");
    }

    @Test
    void connectionLimitsFromTheCommandLine() {
        Main main = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        new CommandLine(main).parseArgs("--user", "alice:secret", "--first-request-timeout", "20",
                "--partial-frame-timeout", "5", "--max-connections-per-source", "0", "--max-connections", "5000",
                "--allocate-timeout", "30");
        assertThat(main.build().config().limits().connections()).isEqualTo(
                new ConnectionLimits(Duration.ofSeconds(20), Duration.ofSeconds(5), 0, 5000, Duration.ofSeconds(30)));
        Main defaults = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        new CommandLine(defaults).parseArgs("--user", "alice:secret");
        assertThat(defaults.build().config().limits().connections()).isEqualTo(ConnectionLimits.DEFAULT);
    }

    @Test
    void timeoutsAreDurationsAndABareNumberIsSeconds() {
        Main main = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        new CommandLine(main).parseArgs("--user", "alice:secret", "--first-request-timeout", "1500ms",
                "--partial-frame-timeout", "2m", "--allocate-timeout", "45");
        ConnectionLimits limits = main.build().config().limits().connections();
        assertThat(limits.firstRequestTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(limits.partialFrameTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(limits.allocateTimeout()).isEqualTo(Duration.ofSeconds(45));

        assertThat(run("--allocate-timeout", "soon")).isEqualTo(2);
        assertThat(run("--first-request-timeout", "500ms")).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "turn-server: --allocate-timeout: soon (expected: a duration such as 10s, 500ms or 2m) (see --help)",
                "turn-server: first-request-timeout: 500ms (expected: at least 1s)");
    }

    @Test
    void badConnectionLimitsAreOneLineAndStatus2() {
        assertThat(run("--max-connections-per-source", "-1")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(
                "turn-server: maxConnectionsPerSource: -1 (expected: >= 0, 0 for no limit)" + System.lineSeparator());
        assertThat(run("--first-request-timeout", "0")).isEqualTo(2);
        assertThat(run("--max-connections", "-3")).isEqualTo(2);
    }

    @Test
    void captureOptionsAndTheirConfigFileKeys() throws Exception {
        Main cli = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        new CommandLine(cli).parseArgs("--user", "alice:secret", "--capture", "/tmp/turn.pcap", "--capture-size", "100MB",
                "--capture-files", "3");
        assertThat(cli.build().config().capture()).isEqualTo(new CaptureConfig(Path.of("/tmp/turn.pcap"), 100_000_000L, 3));

        Path conf = dir.resolve("turn.conf");
        Files.writeString(conf, "user=alice:secret\ncapture=/tmp/lab.pcap\ncapture-size=64KiB\n");
        Main fromFile = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        new CommandLine(fromFile).parseArgs(ConfigFile.arguments(conf).toArray(new String[0]));
        assertThat(fromFile.build().config().capture())
                .isEqualTo(new CaptureConfig(Path.of("/tmp/lab.pcap"), 65_536, CaptureConfig.DEFAULT_FILES));

        Main without = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        new CommandLine(without).parseArgs("--user", "alice:secret");
        assertThat(without.build().config().capture()).isNull();
    }

    @Test
    void badCaptureOptionsAreOneLineAndStatus2() {
        assertThat(run("--capture-size", "1MB")).isEqualTo(2);
        assertThat(run("--capture", "x.pcap", "--capture-size", "lots")).isEqualTo(2);
        assertThat(run("--capture", "x.pcap", "--capture-size", "100")).isEqualTo(2);
        assertThat(run("--capture", "x.pcap", "--capture-files", "0")).isEqualTo(2);
        assertThat(run("--port", "0", "--no-tls", "--capture", dir.resolve("missing/x.pcap").toString())).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(5).allSatisfy(l -> assertThat(l).startsWith("turn-server: "));
        assertThat(err.toString()).contains("need --capture FILE", "100MB", "at least 1024 bytes", "1-1000",
                "capture: cannot write");
    }

    @Test
    void missingConfigFileIsStatus2() {
        assertThat(run("--config", dir.resolve("nope.conf").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("turn-server: config: ");
    }

    @Test
    void helpIsStatus0() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--relay-ports=MIN-MAX", "--profile=NAME", "--auth-secret=S",
                "--peer-quota=N", "--log-rate=N", "--login-limits")
                .contains("--[no-]warm-up", "--warm-up-limit=DURATION");
    }

    @Test
    void demoCredentialIsPrintedWithTheCheckCommandAndWorks() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> status = executor.submit(() -> Main.run(new String[] {"--listen", "127.0.0.1", "--port", "0",
                    "--no-tls", "--relay-ports", "31950-31989"}, new PrintWriter(out, true), new PrintWriter(err, true), stop));
            Matcher m = awaitBanner();
            int port = Integer.parseInt(m.group(1));
            try (TurnClient client = client(port, "demo", m.group(2))) {
                assertThat(client.allocate().join().isSuccess()).isTrue();
            }
            stop.countDown();
            assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
        } finally {
            stop.countDown();
            executor.shutdownNow();
        }
    }

    @Test
    void configFileWithExpresswayProfileAndCommandLineOverride() throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "expturncreds:lab-secret\n");
        Path conf = dir.resolve("turn.conf");
        Files.writeString(conf, "# Expressway-E stand-in\nprofile=expressway\nlisten 127.0.0.1\nport=3478\n"
                + "users-file=" + users + "\nrelay-ports=31950-31989\npeer-quota=1\nlog-rate=3\n"
                + "allow-peer=127.0.0.0/8\n");
        CountDownLatch stop = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> status = executor.submit(() -> Main.run(new String[] {"--config", conf.toString(), "--port", "0"},
                    new PrintWriter(out, true), new PrintWriter(err, true), stop));
            Matcher listening = awaitListening();
            assertThat(out.toString()).contains("realm TANDBERG").contains("tls off").doesNotContain("Demo credential");
            int port = Integer.parseInt(listening.group(1));
            try (TurnClient client = client(port, "expturncreds", "wrong")) {
                TurnResult<Allocation> refused = client.allocate().join();
                assertThat(refused.realm()).contains("TANDBERG");
                assertThat(refused.error().map(ErrorCode::code)).contains(431);
            }
            try (TurnClient client = client(port, "expturncreds", "lab-secret")) {
                assertThat(client.allocate().join().isSuccess()).isTrue();
                assertThat(client.createPermission(InetAddress.getByName("127.0.0.2")).join().isSuccess()).isTrue();
                // peer-quota=1 from the file.
                assertThat(client.createPermission(InetAddress.getByName("127.0.0.3")).join().error().map(ErrorCode::code))
                        .contains(508);
            }
            stop.countDown();
            assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
        } finally {
            stop.countDown();
            executor.shutdownNow();
        }
    }

    @Test
    void theBannerShowsTheRelaysAsBoundAndAdvertisedAndAnIpv6CheckTargetInRfc5952Text() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> status = executor.submit(() -> Main.run(new String[] {"--listen", "::1", "--port", "0",
                    "--no-tls", "--relay-ports", "31950-31989"}, new PrintWriter(out, true), new PrintWriter(err, true), stop));
            await("Check it with: .*\\R"); // the whole line: the writer may be in the middle of it
            assertThat(out.toString())
                    .contains("; relays [::1]:31950-31989 advertised as ::1 (the bound address); realm turnlab")
                    .containsPattern("--server \\[::1]:\\d+ --user demo");
            stop.countDown();
            assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
        } finally {
            stop.countDown();
            executor.shutdownNow();
        }
    }

    @Test
    void aWildcardListenerListsEachUdpAddressAndTheCheckCommandNamesTheAdvertisedOneNotLoopback() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> status = executor.submit(() -> Main.run(new String[] {"--port", "0", "--no-tls",
                    "--relay-ports", "31950-31989"}, new PrintWriter(out, true), new PrintWriter(err, true), stop));
            await("Check it with: .*\\R"); // the whole line: the writer may be in the middle of it
            Matcher banner = Pattern.compile("listening: udp 127\\.0\\.0\\.1:(\\d+)[^;]*; relays 0\\.0\\.0\\.0:31950-31989"
                    + " advertised as (\\S+) ").matcher(out.toString());
            assertThat(banner.find()).as(out.toString()).isTrue();
            assertThat(out.toString()).contains("--server " + banner.group(2) + ":" + banner.group(1) + " --user demo");
            stop.countDown();
            assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
        } finally {
            stop.countDown();
            executor.shutdownNow();
        }
    }

    private static TurnClient client(int port, String user, String password) {
        return TurnClient.builder().server(new InetSocketAddress("127.0.0.1", port)).credentials(user, password).build();
    }

    private Matcher awaitBanner() throws InterruptedException {
        return await("--server [^:]+:(\\d+) --user demo --password (\\S+)\\R");
    }

    private Matcher awaitListening() throws InterruptedException {
        return await("listening: udp 127\\.0\\.0\\.1:(\\d+)");
    }

    private Matcher await(String regex) throws InterruptedException {
        return Printed.await(out, err, regex);
    }
}
