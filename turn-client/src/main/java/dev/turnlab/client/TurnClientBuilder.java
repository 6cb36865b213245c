package dev.turnlab.client;

import dev.turnlab.codec.attribute.AddressFamily;
import dev.turnlab.codec.capture.PacketCapture;
import dev.turnlab.codec.dtls.DtlsEngines;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * The {@link TurnClient.Builder} that {@link TurnClient#builder()} returns: collects the settings, checks
 * them in {@link #build()}, and leaves the defaults that depend on other settings (the retransmission
 * schedule and connect timeout of the transport) to the client.
 */
final class TurnClientBuilder implements TurnClient.Builder {

    InetSocketAddress server;
    Transport transport = Transport.UDP;
    String username;
    String password;
    Retransmission retransmission;
    Duration connectTimeout;
    SslContext ssl;
    DtlsEngines dtls;
    Duration lifetime;
    AddressFamily addressFamily;
    RelayTransport relayTransport = RelayTransport.UDP;
    Consumer<ConnectionAttempt> attemptListener;
    String software = "turnlab turn-client";
    EventLoopGroup group;
    BiConsumer<InetSocketAddress, byte[]> dataListener;
    PacketCapture capture;

    @Override
    public TurnClient.Builder server(InetSocketAddress address) {
        this.server = Objects.requireNonNull(address, "server");
        return this;
    }

    @Override
    public TurnClient.Builder server(String host, int port) {
        return server(new InetSocketAddress(host, port));
    }

    @Override
    public TurnClient.Builder transport(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        return this;
    }

    @Override
    public TurnClient.Builder credentials(String username, String password) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
        return this;
    }

    @Override
    public TurnClient.Builder retransmission(Retransmission retransmission) {
        this.retransmission = Objects.requireNonNull(retransmission, "retransmission");
        return this;
    }

    @Override
    public TurnClient.Builder connectTimeout(Duration timeout) {
        this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
        return this;
    }

    @Override
    public TurnClient.Builder sslContext(SslContext ssl) {
        if (!ssl.isClient()) {
            throw new IllegalArgumentException("sslContext: a server context (expected: a client context)");
        }
        this.ssl = ssl;
        return this;
    }

    @Override
    public TurnClient.Builder dtlsEngines(DtlsEngines engines) {
        this.dtls = Objects.requireNonNull(engines, "dtlsEngines");
        return this;
    }

    @Override
    public TurnClient.Builder lifetime(Duration lifetime) {
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        return this;
    }

    @Override
    public TurnClient.Builder requestedAddressFamily(AddressFamily family) {
        this.addressFamily = Objects.requireNonNull(family, "requestedAddressFamily");
        return this;
    }

    @Override
    public TurnClient.Builder relayTransport(RelayTransport relay) {
        this.relayTransport = Objects.requireNonNull(relay, "relayTransport");
        return this;
    }

    @Override
    public TurnClient.Builder onConnectionAttempt(Consumer<ConnectionAttempt> listener) {
        this.attemptListener = listener;
        return this;
    }

    @Override
    public TurnClient.Builder software(String software) {
        this.software = software;
        return this;
    }

    @Override
    public TurnClient.Builder eventLoopGroup(EventLoopGroup group) {
        this.group = Objects.requireNonNull(group, "group");
        return this;
    }

    @Override
    public TurnClient.Builder onData(BiConsumer<InetSocketAddress, byte[]> listener) {
        this.dataListener = listener;
        return this;
    }

    @Override
    public TurnClient.Builder capture(PacketCapture capture) {
        this.capture = Objects.requireNonNull(capture, "capture");
        return this;
    }

    /** The TLS context for {@code transport}: the one set, the JDK's default for TLS, or null for none. */
    SslContext sslContextFor(Transport transport) {
        if (transport != Transport.TLS || ssl != null) {
            return ssl;
        }
        try {
            return SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("default TLS client context: " + e.getMessage(), e);
        }
    }

    /**
     * The DTLS engines for {@code transport}: the ones set, or the JDK's trusted certificates with the server's
     * name checked (as {@link #sslContextFor} does for TLS); null for a transport other than DTLS.
     */
    DtlsEngines dtlsEnginesFor(Transport transport) {
        if (transport != Transport.DTLS || dtls != null) {
            return dtls;
        }
        try {
            return DtlsEngines.client(DtlsEngines.clientContext(null), "HTTPS");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("default DTLS client context: " + e.getMessage(), e);
        }
    }

    @Override
    public TurnClient build() {
        if (server == null) {
            throw new IllegalStateException("server: missing (expected: server(host, port))");
        }
        if (lifetime != null && (lifetime.isNegative() || lifetime.toSeconds() > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("lifetime: " + lifetime + " (expected: 0 to 2^32-1 s)");
        }
        if (relayTransport == RelayTransport.TCP && !transport.isReliable()) {
            // RFC 6062 §4.1: a TCP allocation is asked for, and used, over TCP or TLS only.
            throw new IllegalStateException("relayTransport: TCP over " + transport + " (expected: transport TCP or TLS;"
                    + " RFC 6062 TCP relays are requested over a TCP or TLS connection to the server)");
        }
        return new TurnClient(this);
    }
}
