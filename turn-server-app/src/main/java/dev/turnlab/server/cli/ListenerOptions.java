package dev.turnlab.server.cli;

import dev.turnlab.server.IoTransport;
import dev.turnlab.server.Profile;
import dev.turnlab.server.TurnServerBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the server listens, over which transports, with which certificate, its sockets and their I/O transport. */
final class ListenerOptions {

    @Option(names = "--listen", paramLabel = "ADDR", description = "Listening address (repeatable; default 0.0.0.0: UDP binds each local address up at start).")
    List<String> listen = new ArrayList<>();

    @Option(names = "--port", paramLabel = "N", description = "UDP and TCP port (default 3478).")
    Integer port;

    @Option(names = "--tls-port", paramLabel = "N", description = "TLS port (default 5349; none with --profile expressway).")
    Integer tlsPort;

    @Option(names = "--no-tls", description = "No TLS listener.")
    boolean noTls;

    @Option(names = "--no-udp", description = "No UDP listener.")
    boolean noUdp;

    @Option(names = "--no-tcp", description = "No TCP listener.")
    boolean noTcp;

    @Option(names = "--cert", paramLabel = "FILE", description = "TLS certificate chain, PEM (default: self-signed).")
    Path certificate;

    @Option(names = "--pkey", paramLabel = "FILE", description = "TLS private key, PEM (PKCS#8).")
    Path privateKey;

    @Option(names = "--io-threads", paramLabel = "N", description = "Event loops, each with its own UDP listening socket (default: one per processor).")
    Integer ioThreads;

    @Option(names = "--io-transport", paramLabel = "NAME",
            description = "auto, io_uring, epoll or nio (default auto: epoll, else io_uring where the kernel allows it, else NIO).")
    String ioTransport;

    @Option(names = "--udp-recv-buffer", paramLabel = "BYTES", description = "SO_RCVBUF of the UDP listening sockets, 0 for the kernel's default (default 4194304).")
    Integer udpReceiveBuffer;

    @Option(names = "--udp-send-buffer", paramLabel = "BYTES", description = "SO_SNDBUF of the UDP listening sockets, 0 for the kernel's default (default 4194304).")
    Integer udpSendBuffer;

    /** Sets the listeners on {@code b}; the standard profile has a TLS listener unless {@code --no-tls}. */
    void applyTo(TurnServerBuilder b, Profile profile) {
        listen.forEach(b::listen);
        if (port != null) {
            b.port(port);
        }
        if (!noTls && (tlsPort != null || profile == Profile.STANDARD)) {
            b.tlsPort(tlsPort != null ? tlsPort : 5349);
        }
        if (certificate != null || privateKey != null) {
            if (certificate == null || privateKey == null) {
                throw new IllegalArgumentException("cert: --cert and --pkey go together");
            }
            b.tlsCertificate(certificate, privateKey);
        }
        b.udp(!noUdp).tcp(!noTcp);
        if (ioThreads != null) {
            b.ioThreads(ioThreads);
        }
        if (ioTransport != null) {
            b.ioTransport(IoTransport.parse(ioTransport));
        }
        if (udpReceiveBuffer != null) {
            b.udpReceiveBuffer(udpReceiveBuffer);
        }
        if (udpSendBuffer != null) {
            b.udpSendBuffer(udpSendBuffer);
        }
    }
}
