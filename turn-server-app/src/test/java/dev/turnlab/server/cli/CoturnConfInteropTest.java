package dev.turnlab.server.cli;

import static dev.turnlab.testing.tools.CoturnTools.LOST;
import static dev.turnlab.testing.tools.CoturnTools.TOTALS;
import static dev.turnlab.testing.tools.CoturnTools.finish;
import static dev.turnlab.testing.tools.CoturnTools.last;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.auth.LongTermCredentials;
import dev.turnlab.testing.tools.CoturnPeer;
import dev.turnlab.testing.tools.CoturnTools;
import dev.turnlab.testing.tools.FreePorts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * coturn's own client, {@code turnutils_uclient}, against our server started from a coturn-style
 * turnserver.conf: long-term credentials from {@code user=} lines ({@code -u}/{@code -w}) and TURN REST
 * credentials from {@code use-auth-secret}/{@code static-auth-secret} ({@code -W}).
 */
class CoturnConfInteropTest {

    private static final String SECRET = "rest-api-shared-secret";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private Future<Integer> status;
    /** What {@code turnadmin -k -u keyed -r lab.example -p keyed-secret} prints: the MD5 long-term key in hex. */
    private static final String KEYED = HexFormat.of().formatHex(LongTermCredentials.key("keyed", "lab.example", "keyed-secret"));
    private CoturnPeer peer;
    private int peerPort;
    private int port;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(CoturnTools.available(), CoturnTools.MISSING);
        FreePorts.Block relays = FreePorts.udpBlock(50);
        Path conf = dir.resolve("turnserver.conf");
        Files.writeString(conf, String.join("\n", "# coturn's names only",
                "listening-ip=127.0.0.1", "listening-port=3478", "min-port=" + relays.min(), "max-port=" + relays.max(),
                "fingerprint", "lt-cred-mech", "user=uclient:uclient-secret", "user=keyed:0x" + KEYED, "use-auth-secret",
                "static-auth-secret=" + SECRET, "realm=lab.example", "allowed-peer-ip=127.0.0.1", "no-tls", "no-dtls",
                "no-cli", "no-software-attribute", ""));
        status = executor.submit(() -> Main.run(new String[] {"-c", conf.toString(), "--listening-port", "0"},
                new PrintWriter(out, true), new PrintWriter(err, true), stop));
        port = Integer.parseInt(await("listening: udp 127\\.0\\.0\\.1:(\\d+)").group(1));
        peer = CoturnPeer.start("127.0.0.1", dir.resolve("peer.log"));
        peerPort = peer.port();
    }

    @AfterEach
    void stop() throws Exception {
        if (peer != null) {
            peer.close();
        }
        stop.countDown();
        if (status != null) {
            assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
        }
        executor.shutdownNow();
    }

    @Test
    void longTermCredentialsFromUserLinesRelayWithoutLoss() throws Exception {
        assertRelays("-u", "uclient", "-w", "uclient-secret");
    }

    @Test
    void aUserLineInCoturnsKeyFormRelaysWithThePasswordTheKeyWasMadeFrom() throws Exception {
        assertRelays("-u", "keyed", "-w", "keyed-secret");
    }

    @Test
    void restApiCredentialsFromTheStaticAuthSecretRelayWithoutLoss() throws Exception {
        assertRelays("-u", "rest-user", "-W", SECRET);
    }

    @Test
    void noSoftwareAttributeLeavesSoftwareOut() throws Exception {
        assertThat(CoturnConfigTest.softwareOfBindingResponse(port)).isNull();
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        Path log = dir.resolve("uclient-wrong.log");
        assertThat(finish(uclient(log, "-u", "uclient", "-w", "not-the-password"))).isNotZero();
        assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("Cannot complete Allocation");
    }

    private void assertRelays(String... credentials) throws Exception {
        Path log = dir.resolve("uclient.log");
        int exit = finish(uclient(log, credentials));
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exit).as("exit status; log:%n%s", text).isZero();
        MatchResult totals = last(TOTALS, text);
        MatchResult lost = last(LOST, text);
        assertThat(totals).as("totals in:%n%s", text).isNotNull();
        assertThat(Integer.parseInt(totals.group(1))).as("sent").isEqualTo(20);
        assertThat(Integer.parseInt(totals.group(2))).as("received").isEqualTo(20);
        assertThat(Integer.parseInt(lost.group(1))).as("lost").isZero();
    }

    private Process uclient(Path log, String... credentials) throws IOException {
        List<String> command = new ArrayList<>(List.of("timeout", "60", "turnutils_uclient"));
        command.addAll(List.of(credentials));
        command.addAll(List.of("-e", "127.0.0.1", "-r", Integer.toString(peerPort), "-n", "20", "-l", "120", "-m", "1",
                "-c", "-z", "20", "-p", Integer.toString(port), "127.0.0.1"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private Matcher await(String regex) throws InterruptedException {
        return Printed.await(out, err, regex);
    }
}
