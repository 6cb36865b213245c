package dev.turnlab.server.cli;

import dev.turnlab.cli.DurationConverter;
import dev.turnlab.cli.HostPortConverter;
import dev.turnlab.codec.capture.CaptureConfig;
import dev.turnlab.server.TurnServerBuilder;
import dev.turnlab.server.admin.AdminToken;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Running the server: the admin listener, lab faults, packet capture, alternates and draining, the pid file. */
final class OperationsOptions {

    @Option(names = "--admin", paramLabel = "ADDR:PORT",
            description = "Serve /metrics (Prometheus), /status (JSON), /status.html and the admin API (/api/) over HTTP here "
                    + "(off by default). Without --admin-token-file or --admin-token-env only a loopback address, e.g. 127.0.0.1:9641.")
    String admin;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "The admin listener's bearer token: the first line of FILE, which only its owner may read (chmod 600). "
                    + "Every endpoint but the status page's files then asks for Authorization: Bearer TOKEN.")
    Path adminTokenFile;

    @Option(names = "--admin-token-env", paramLabel = "NAME",
            description = "The admin listener's bearer token from the environment variable NAME, e.g. TURNLAB_ADMIN_TOKEN.")
    String adminTokenEnv;

    @Option(names = "--fault", paramLabel = "NAME[=VALUE]",
            description = "Switch a lab fault on from the start (repeatable; at run time: POST /faults on --admin): "
                    + "stall, silent-udp, silent-tcp, reject-udp, reject-tcp, block-relay=in|out|both, advertise=ADDR, "
                    + "answer=CODE, loss=PERCENT, delay=MS[~JITTER], stale-nonce. See the README.")
    List<String> faults = new ArrayList<>();

    @Option(names = "--capture", paramLabel = "FILE",
            description = "Record every packet the server sends and receives (clients and peers; TLS as its plaintext) "
                    + "in a pcap file for Wireshark, like tcpdump -w.")
    Path capture;

    @Option(names = "--capture-size", paramLabel = "SIZE",
            description = "Rotate the capture file at this size, e.g. 100MB (tcpdump -C); default: no limit.")
    String captureSize;

    @Option(names = "--capture-files", paramLabel = "N",
            description = "Keep at most N capture files when rotating: FILE, then FILE.1 … (tcpdump -W; default 10).")
    Integer captureFiles;

    @Option(names = "--no-software-attribute", description = "No SOFTWARE attribute in responses.")
    boolean noSoftwareAttribute;

    @Option(names = "--pidfile", paramLabel = "FILE", description = "Write the process id here while running.")
    Path pidfile;

    @Option(names = "--alternate-server", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "When full (--total-quota, relay ports) or draining, answer Allocate with 300 Try Alternate naming this server (repeatable: in turn).")
    List<InetSocketAddress> alternateServers = new ArrayList<>();

    @Option(names = "--drain-grace", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "On SIGTERM, drain first: take no new allocation, keep the existing ones until they end or this passes, then stop (a second SIGTERM stops at once).")
    Duration drainGrace;

    /** Sets the admin listener, faults, capture, SOFTWARE and alternates on {@code b}; checks {@code --drain-grace}. */
    void applyTo(TurnServerBuilder b) {
        if (admin != null) {
            b.admin(admin);
        }
        if (adminTokenFile != null && adminTokenEnv != null) {
            throw new IllegalArgumentException("admin-token-file and admin-token-env: both given (expected: one of them)");
        }
        if (adminTokenFile != null) {
            b.adminToken(AdminToken.fromFile(adminTokenFile));
        }
        if (adminTokenEnv != null) {
            b.adminToken(AdminToken.fromEnvironment(adminTokenEnv, System.getenv()));
        }
        faults.forEach(b::fault);
        CaptureConfig captured = CaptureConfig.fromOptions(capture, captureSize, captureFiles);
        if (captured != null) {
            b.capture(captured);
        }
        if (noSoftwareAttribute) {
            b.software("");
        }
        alternateServers.forEach(b::alternateServer);
        if (drainGrace != null) {
            Main.seconds("--drain-grace", drainGrace);
        }
    }
}
