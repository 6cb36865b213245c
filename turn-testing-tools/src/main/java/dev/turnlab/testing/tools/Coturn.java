package dev.turnlab.testing.tools;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * coturn's {@code turnserver}, started hermetically on 127.0.0.1 (or {@code ::1}) for interop tests: no config file, its
 * database, pid file and logs in a temporary directory of its own, long-term credentials, loopback peers
 * allowed, no CLI or RFC 5780, no TLS unless {@link Builder#tls()}, no DTLS unless {@link Builder#dtls}, a relay
 * range from {@link FreePorts#udpBlock}; stopped by its
 * process (never by name) in {@link #close()}.
 *
 * <pre>{@code
 * assumeTrue(Coturn.available(), Coturn.MISSING);
 * try (Coturn coturn = Coturn.builder().user("alice", "secret").realm("coturn.test").start()) {
 *     ... coturn.address() ...
 * }
 * }</pre>
 */
public final class Coturn implements AutoCloseable {

    /** Why a test is skipped when coturn is missing. */
    public static final String MISSING = "coturn's turnserver is not installed and cannot be installed here: "
            + "run `apt-get install -y coturn` as root to enable this test";

    private final Process process;
    private final InetSocketAddress address;
    private InetSocketAddress tlsAddress;
    private InetSocketAddress dtlsAddress;
    private final FreePorts.Block relayPorts;
    private final Path dir;

    private Coturn(Process process, InetSocketAddress address, FreePorts.Block relayPorts, Path dir) {
        this.process = process;
        this.address = address;
        this.relayPorts = relayPorts;
        this.dir = dir;
    }

    /** A builder with user {@code coturn-user}, password {@code coturn-secret} and realm {@code coturn.test}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code turnserver} is on the PATH, installing the Debian package first when running as root. */
    public static boolean available() throws InterruptedException {
        return CoturnTools.installed("turnserver");
    }

    /** Where it listens, UDP and TCP. */
    public InetSocketAddress address() {
        return address;
    }

    /** Where it listens for TLS over TCP; only with {@link Builder#tls()}. */
    public InetSocketAddress tlsAddress() {
        if (tlsAddress == null) {
            throw new IllegalStateException("Coturn: no TLS listener (expected: builder().tls())");
        }
        return tlsAddress;
    }

    /** Where its DTLS listener is (UDP), or null without {@link Builder#dtls}. */
    public InetSocketAddress dtlsAddress() {
        return dtlsAddress;
    }

    /** Its relay port range. */
    public FreePorts.Block relayPorts() {
        return relayPorts;
    }

    /** Its own directory: database, pid file, log and stdout. */
    public Path directory() {
        return dir;
    }

    /** What it has written to its log file and stdout so far, for a failure message. */
    public String log() throws IOException {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("turnserver.log", "stdout.txt")) {
            Path file = dir.resolve(name);
            if (Files.exists(file)) {
                text.append(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return text.toString();
    }

    /** Stops the server by its process: SIGTERM, then SIGKILL after 5 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("turnserver exited with " + process.exitValue() + "; log: " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(address, 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("turnserver did not listen on " + address + " within 20 s; log: " + log());
    }

    /** Configures and starts a {@link Coturn}. */
    public static final class Builder {

        private String user = "coturn-user";
        private String password = "coturn-secret";
        private String realm = "coturn.test";
        private String ip = "127.0.0.1";
        private FreePorts.Block relayPorts;
        private final List<String> extra = new ArrayList<>();
        private boolean tls;
        private Path certificate;
        private Path privateKey;

        private Builder() {
        }

        /** The one long-term credential it accepts. */
        public Builder user(String name, String password) {
            this.user = Objects.requireNonNull(name, "user");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Its realm. */
        public Builder realm(String realm) {
            this.realm = Objects.requireNonNull(realm, "realm");
            return this;
        }

        /**
         * The loopback address it listens on and relays from, {@code 127.0.0.1} by default; {@code ::1}
         * for an IPv6 server with IPv6 relays only.
         */
        public Builder address(String loopback) {
            this.ip = Objects.requireNonNull(loopback, "address");
            return this;
        }

        /** Its relay range; a free block of 100 ports by default (see {@link FreePorts#udpBlock}). */
        public Builder relayPorts(FreePorts.Block block) {
            this.relayPorts = Objects.requireNonNull(block, "relayPorts");
            return this;
        }

        /**
         * A TLS listener as well, on a free port, with a self-signed certificate for {@code localhost} that
         * {@code openssl} makes in its directory (clients must trust any certificate).
         */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /**
         * A DTLS listener (RFC 7350) with this PEM certificate chain and key, on the port coturn shares with TLS
         * ({@code --tls-listening-port}); TLS over TCP stays off unless {@link #tls()}.
         */
        public Builder dtls(Path certificate, Path privateKey) {
            this.certificate = Objects.requireNonNull(certificate, "certificate");
            this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
            return this;
        }

        /** More {@code turnserver} command-line arguments, after the builder's own. */
        public Builder arguments(String... arguments) {
            extra.addAll(List.of(arguments));
            return this;
        }

        /** Starts turnserver and waits until it accepts TCP connections (at most 20 s). */
        public Coturn start() throws IOException, InterruptedException {
            Path dir = Files.createTempDirectory("coturn");
            FreePorts.Block relay = relayPorts != null ? relayPorts : FreePorts.udpBlock(100);
            int port = FreePorts.tcpAndUdp();
            List<String> command = new ArrayList<>(List.of("turnserver", "-n",
                    "--listening-ip", ip, "--relay-ip", ip,
                    "--listening-port", Integer.toString(port),
                    "--min-port", Integer.toString(relay.min()), "--max-port", Integer.toString(relay.max()),
                    "--lt-cred-mech", "--user", user + ":" + password, "--realm", realm,
                    "--allow-loopback-peers", "--no-multicast-peers",
                    "--no-cli", "--no-rfc5780",
                    "--userdb", dir.resolve("turndb").toString(), "--pidfile", dir.resolve("turnserver.pid").toString(),
                    "--log-file", dir.resolve("turnserver.log").toString(), "--simple-log", "--no-stdout-log"));
            boolean dtls = certificate != null;
            // coturn's TLS and DTLS listeners share --tls-listening-port (TCP and UDP) and one certificate.
            int securePort = tls || dtls ? FreePorts.tcpAndUdp() : 0;
            if (tls || dtls) {
                if (!dtls) {
                    selfSignedCertificate(dir);
                }
                command.addAll(List.of("--cert", dtls ? certificate.toString() : dir.resolve("cert.pem").toString(),
                        "--pkey", dtls ? privateKey.toString() : dir.resolve("key.pem").toString(),
                        "--tls-listening-port", Integer.toString(securePort)));
            }
            if (!tls) {
                command.add("--no-tls");
            }
            if (!dtls) {
                command.add("--no-dtls");
            }
            command.addAll(extra);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.txt").toFile()).start();
            process.getOutputStream().close();
            Coturn coturn = new Coturn(process,
                    new InetSocketAddress(InetAddress.getByName(ip), port), relay, dir);
            if (tls) {
                coturn.tlsAddress = new InetSocketAddress(InetAddress.getByName(ip), securePort);
            }
            if (dtls) {
                coturn.dtlsAddress = new InetSocketAddress(InetAddress.getByName(ip), securePort);
            }
            try {
                coturn.awaitListening();
            } catch (IOException | RuntimeException | InterruptedException e) {
                coturn.close();
                throw e;
            }
            return coturn;
        }

        private static void selfSignedCertificate(Path dir) throws IOException, InterruptedException {
            Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(),
                    "-days", "1", "-subj", "/CN=localhost").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.txt").toFile()).start();
            if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
                openssl.destroyForcibly();
                throw new IOException("openssl could not make a certificate: "
                        + Files.readString(dir.resolve("openssl.txt"), StandardCharsets.UTF_8));
            }
        }
    }
}
