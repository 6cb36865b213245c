package dev.turnlab.testing;

import dev.turnlab.client.Transport;
import dev.turnlab.client.TurnClient;
import dev.turnlab.codec.dtls.DtlsEngines;
import dev.turnlab.server.PortRange;
import dev.turnlab.server.Profile;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.TurnServerBuilder;
import dev.turnlab.testing.tools.FreePorts;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs turnlab's {@link TurnServer} on 127.0.0.1 for a test class: UDP and TCP
 * (and TLS with a self-signed certificate when asked) on ephemeral ports, a relay range of free ports
 * below the ephemeral range ({@link FreePorts#udpBlock}), loopback peers allowed.
 *
 * <pre>{@code
 * @RegisterExtension
 * static TurnServerExtension turn = TurnServerExtension.builder().user("alice", "secret").build();
 *
 * @Test
 * void allocates() {
 *     TurnClient client = turn.client(Transport.UDP);   // closed after the test
 *     assertTrue(client.allocate().join().isSuccess());
 * }
 * }</pre>
 *
 * <p>On a static field the server starts before all tests of the class and stops after them; on an
 * instance field it starts before and stops after each test. Clients from {@link #client} are closed
 * after the test that made them (after the class when made in {@code @BeforeAll}).
 */
public final class TurnServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private final Builder settings;
    private final List<TurnClient> classClients = new ArrayList<>();
    private final List<TurnClient> testClients = new ArrayList<>();
    private TurnServer server;
    private boolean perTest;
    private boolean inTest;
    /** Test classes running with the server: a {@code @Nested} class runs inside its outer class's server. */
    private int classes;

    private TurnServerExtension(Builder settings) {
        this.settings = settings;
    }

    /** A builder: one user {@code alice}/{@code alice-secret}, profile standard (realm {@code turnlab}), no TLS. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (this) {
            classes++;
        }
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        synchronized (this) {
            if (server == null) {
                perTest = true;
                start();
            }
            inTest = true;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<TurnClient> done;
        synchronized (this) {
            inTest = false;
            done = List.copyOf(testClients);
            testClients.clear();
        }
        closeAll(done);
        if (perTest) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        synchronized (this) {
            if (--classes > 0) {
                return;
            }
            classes = 0;
        }
        stop();
    }

    /** The running server, for anything this extension does not hand out itself (counters, faults, allocations). */
    public synchronized TurnServer server() {
        if (server == null) {
            throw new IllegalStateException("TurnServerExtension: the server is not running (is the extension "
                    + "registered with @RegisterExtension, and is this called from a test or a callback?)");
        }
        return server;
    }

    /** The UDP listening address. */
    public InetSocketAddress udpAddress() {
        return server().udpAddress();
    }

    /** The TCP listening address. */
    public InetSocketAddress tcpAddress() {
        return server().tcpAddress();
    }

    /** The DTLS listening address (RFC 7350); only with {@link Builder#tls()}, which brings DTLS along. */
    public InetSocketAddress dtlsAddress() {
        InetSocketAddress dtls = server().dtlsAddress();
        if (dtls == null) {
            throw new IllegalStateException("TurnServerExtension: no DTLS listener (expected: builder().tls())");
        }
        return dtls;
    }

    /** The TLS listening address; only with {@link Builder#tls()}. */
    public InetSocketAddress tlsAddress() {
        InetSocketAddress tls = server().tlsAddress();
        if (tls == null) {
            throw new IllegalStateException("TurnServerExtension: no TLS listener (expected: builder().tls())");
        }
        return tls;
    }

    /** The listening address of {@code transport}. */
    public InetSocketAddress address(Transport transport) {
        return switch (transport) {
            case UDP -> udpAddress();
            case TCP -> tcpAddress();
            case TLS -> tlsAddress();
            case DTLS -> dtlsAddress();
        };
    }

    /** The first user's name. */
    public String username() {
        return settings.users.keySet().iterator().next();
    }

    /** The first user's password. */
    public String password() {
        return settings.users.values().iterator().next();
    }

    /** The realm the server puts in its 401 challenges. */
    public String realm() {
        return server().config().auth().realm();
    }

    /** The relay port range in use. */
    public PortRange relayPorts() {
        return server().config().relay().ports();
    }

    /**
     * A client of the server over {@code transport} with the first user's credentials, closed after the
     * test (or after the class when made in {@code @BeforeAll}); over TLS and DTLS it trusts the server's self-signed
     * certificate. Set a data listener with {@link TurnClient#onData}.
     */
    public TurnClient client(Transport transport) {
        TurnClient client = clientBuilder(transport).build();
        synchronized (this) {
            (inTest ? testClients : classClients).add(client);
        }
        return client;
    }

    /**
     * A builder for a client of the server over {@code transport} with the first user's credentials, to
     * change before building; the test closes what it builds.
     */
    public TurnClient.Builder clientBuilder(Transport transport) {
        TurnClient.Builder b = TurnClient.builder().server(address(transport)).transport(transport)
                .credentials(username(), password());
        if (transport == Transport.TLS) {
            try {
                b.sslContext(SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build());
            } catch (SSLException e) {
                throw new IllegalStateException("TurnServerExtension: no TLS client context", e);
            }
        }
        if (transport == Transport.DTLS) {
            try {
                b.dtlsEngines(DtlsEngines.client(DtlsEngines.clientContext(InsecureTrustManagerFactory.INSTANCE), null));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("TurnServerExtension: no DTLS client context", e);
            }
        }
        return b;
    }

    private synchronized void start() {
        if (server != null) {
            return;
        }
        TurnServerBuilder b = TurnServer.builder().listen("127.0.0.1").port(0).ioThreads(1)
                .allowLoopbackPeers(settings.allowLoopbackPeers);
        if (settings.profile != null) {
            b.profile(settings.profile);
        }
        if (settings.realm != null) {
            b.realm(settings.realm);
        }
        settings.users.forEach(b::user);
        if (settings.relayPorts != null) {
            b.relayPorts(settings.relayPorts);
        } else {
            try {
                FreePorts.Block block = FreePorts.udpBlock(settings.relayPortCount);
                b.relayPorts(block.min(), block.max());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (settings.tls) {
            b.tlsPort(0);
        } else {
            b.noTls();
        }
        if (settings.clock != null) {
            b.clock(settings.clock);
        }
        settings.faults.forEach(b::fault);
        settings.customizers.forEach(c -> c.accept(b));
        server = b.build().start();
    }

    private void stop() {
        List<TurnClient> done;
        TurnServer running;
        synchronized (this) {
            done = new ArrayList<>(testClients);
            done.addAll(classClients);
            testClients.clear();
            classClients.clear();
            running = server;
            server = null;
            perTest = false;
        }
        closeAll(done);
        if (running != null) {
            running.close();
        }
    }

    private static void closeAll(List<TurnClient> clients) {
        RuntimeException failure = null;
        for (TurnClient c : clients) {
            try {
                c.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Configures a {@link TurnServerExtension}; nothing starts until a test class runs. */
    public static final class Builder {

        private final Map<String, String> users = new LinkedHashMap<>();
        private final List<String> faults = new ArrayList<>();
        private final List<Consumer<TurnServerBuilder>> customizers = new ArrayList<>();
        private String realm;
        private Profile profile;
        private PortRange relayPorts;
        private int relayPortCount = 64;
        private boolean allowLoopbackPeers = true;
        private boolean tls;
        private Clock clock;

        private Builder() {
        }

        /** Adds a long-term credential (repeatable); the first is the one {@link #username()} hands out. */
        public Builder user(String name, String password) {
            users.put(Objects.requireNonNull(name, "user"), Objects.requireNonNull(password, "password"));
            return this;
        }

        /** The realm; the profile's otherwise ({@code turnlab}, or {@code TANDBERG} for the Expressway-E). */
        public Builder realm(String realm) {
            this.realm = Objects.requireNonNull(realm, "realm");
            return this;
        }

        /** The server's profile, for example {@link Profile#EXPRESSWAY} (realm TANDBERG, 431 on a bad password). */
        public Builder profile(Profile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /** A fixed relay port range instead of a free random block. */
        public Builder relayPorts(int min, int max) {
            this.relayPorts = new PortRange(min, max);
            return this;
        }

        /** How many relay ports the free random block holds (64 by default). */
        public Builder relayPortCount(int count) {
            if (count < 1 || count > 3000) {
                throw new IllegalArgumentException("relayPortCount: " + count + " (expected: 1 to 3000)");
            }
            this.relayPortCount = count;
            return this;
        }

        /** Whether peers on loopback may be relayed to (true by default: the test's peers are on loopback). */
        public Builder allowLoopbackPeers(boolean allow) {
            this.allowLoopbackPeers = allow;
            return this;
        }

        /** Switches a lab fault on from the start, {@code NAME[=VALUE]}, as {@link TurnServerBuilder#fault}. */
        public Builder fault(String fault) {
            faults.add(Objects.requireNonNull(fault, "fault"));
            return this;
        }

        /** Adds TLS and DTLS listeners on ephemeral ports with a generated self-signed certificate. */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** The server's clock, for example a {@code MutableClock} that the test advances. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Any other server setting, applied after this builder's own. */
        public Builder configure(Consumer<TurnServerBuilder> customizer) {
            customizers.add(Objects.requireNonNull(customizer, "customizer"));
            return this;
        }

        /** The extension; the user {@code alice}/{@code alice-secret} when none was added. */
        public TurnServerExtension build() {
            Builder copy = new Builder();
            copy.users.putAll(users.isEmpty() ? Map.of("alice", "alice-secret") : users);
            copy.faults.addAll(faults);
            copy.customizers.addAll(customizers);
            copy.realm = realm;
            copy.profile = profile;
            copy.relayPorts = relayPorts;
            copy.relayPortCount = relayPortCount;
            copy.allowLoopbackPeers = allowLoopbackPeers;
            copy.tls = tls;
            copy.clock = clock;
            return new TurnServerExtension(copy);
        }
    }
}
