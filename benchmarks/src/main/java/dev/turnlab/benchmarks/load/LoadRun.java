package dev.turnlab.benchmarks.load;

import dev.turnlab.codec.netty.StunStreamDecoder;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.auth.LongTermCredentials;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.Username;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one load: sets the sessions up with bounded concurrency, pipelined on the client event loops
 * ({@link SetupPipeline}), lets them send through warm-up and the
 * measured window, drains the echoes for at most {@link #DRAIN_NANOS}, deletes the allocations, and
 * tallies. Every phase has a deadline, so a run never outlasts setup timeout + warm-up + duration + a
 * few seconds.
 */
final class LoadRun {

    /** How long echoes of the last probes are waited for after sending stops. */
    static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** How long the allocations' deletion may take at the end. */
    static final long DEALLOCATE_MILLIS = 1_000;
    /** Paced sessions are served by a timer of this period, sending every probe that has fallen due. */
    static final long TICK_MICROS = 1_000;

    private final LoadConfig config;
    private final PrintStream progress;
    private final PrintStream events;
    private final NettyTransport io;

    /** A run of {@code config} printing a live line to {@code progress} once a second, or silently when null. */
    LoadRun(LoadConfig config, PrintStream progress) {
        this(config, progress, null, NettyTransport.best());
    }

    /** A run on the Netty transport {@code io}. */
    LoadRun(LoadConfig config, PrintStream progress, NettyTransport io) {
        this(config, progress, null, io);
    }

    /**
     * A run that also prints one line to {@code events} (unless null) the moment the setup ends, before any
     * traffic, so that a script watching it can read a server's CPU time for the setup alone.
     */
    LoadRun(LoadConfig config, PrintStream progress, PrintStream events, NettyTransport io) {
        this.config = config;
        this.progress = progress;
        this.events = events;
        this.io = io;
    }

    /** Runs the load and reports; the caller's thread waits through it. */
    LoadReport run() throws InterruptedException {
        EventLoopGroup clients = io.group(config.threads());
        EventLoopGroup peerLoop = io.group(1);
        EchoPeer echo = null;
        try {
            InetSocketAddress peer = config.peer();
            if (peer == null) {
                echo = EchoPeer.start(peerLoop, io, new InetSocketAddress(localAddressTowards(config.server()), 0),
                        config.maxDatagram());
                peer = echo.address();
            }
            return run(clients, peerLoop, peer);
        } finally {
            if (echo != null) {
                echo.close();
            }
            Future<?> a = clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            Future<?> b = peerLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            a.await(5, TimeUnit.SECONDS);
            b.await(5, TimeUnit.SECONDS);
        }
    }

    private LoadReport run(EventLoopGroup clients, EventLoopGroup peerLoop, InetSocketAddress peer)
            throws InterruptedException {
        List<Session> sessions = new ArrayList<>(config.sessions());
        warmUp(clients, peer);
        rehearse(clients, peerLoop, peer);
        if (events != null) {
            events.printf(Locale.ROOT, "turn-load: setting up %d sessions%n", config.sessions());
            events.flush();
        }
        for (int i = 0; i < config.sessions(); i++) {
            sessions.add(new Session(i, config, peer)); // bookkeeping, off the clock
        }
        long setupStart = System.nanoTime();
        long setupCpu = processCpuNanos();
        List<SetupOutcome> outcomes = setUp(clients, sessions, config.server());
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
        double setupCpuSeconds = (processCpuNanos() - setupCpu) / 1e9;
        List<Session> ready = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            if (outcomes.get(i).isOk()) {
                ready.add(sessions.get(i));
            } else if (sessions.get(i).channel() != null) {
                sessions.get(i).channel().close();
            }
        }
        if (events != null) {
            events.printf(Locale.ROOT, "turn-load: set up %d of %d sessions in %.3f s (turn-load's CPU: %.3f s)%n",
                    ready.size(), config.sessions(), setupSeconds, setupCpuSeconds);
            events.flush();
        }
        var failures = LoadReport.count(outcomes);
        String message = LoadReport.explain(failures, config.sessions());
        Tally tally = Tally.empty();
        double cpu = 0;
        if (!ready.isEmpty()) {
            Measured measured = drive(ready);
            tally = measured.tally;
            cpu = measured.cpuPercent;
            deallocate(ready);
        }
        for (Session s : ready) {
            s.channel().close();
        }
        String peerText = peer.getHostString() + ":" + peer.getPort();
        return new LoadReport(config, io.name(), peerText, ready.size(), setupSeconds, failures, tally, cpu,
                Runtime.getRuntime().availableProcessors(), message);
    }

    // ---- setup ----

    /** Sets {@code sessions} up against {@code server}, with their outcomes in the same order. */
    private List<SetupOutcome> setUp(EventLoopGroup clients, List<Session> sessions, InetSocketAddress server)
            throws InterruptedException {
        long deadline = System.nanoTime() + config.setupTimeout().toNanos();
        Bootstrap prototype = prototype();
        SetupPipeline.start(clients, sessions, config.setupConcurrency(),
                (loop, session) -> connect(prototype, loop, session, server), deadline);
        List<SetupOutcome> outcomes = new ArrayList<>(sessions.size());
        for (Session session : sessions) {
            outcomes.add(await(session.setup(), deadline));
        }
        return outcomes;
    }

    /**
     * Runs what the setup runs once off the clock, without touching the server: key derivation, HMAC,
     * encode and decode, and a socket of the session's kind talking to the echo peer. The setup rate then
     * measures the server rather than this JVM's class loading.
     */
    private void warmUp(EventLoopGroup clients, InetSocketAddress peer) throws InterruptedException {
        Channel probe = new Bootstrap().group(clients).channel(io.datagram())
                .handler(new ChannelInboundHandlerAdapter()).connect(peer).sync().channel();
        if (config.peer() == null) {
            probe.writeAndFlush(Unpooled.wrappedBuffer(new byte[Probe.MIN_LENGTH])).sync(); // only to our own peer
        }
        probe.close().sync();
        byte[] key = LongTermCredentials.key(config.user(), "realm", config.password());
        StunMessage request = StunMessage.request(Method.ALLOCATE)
                .add(RequestedTransport.UDP, new Username(config.user()),
                new Realm("realm"), new Nonce("nonce")).integrity(key).build();
        ByteBuf wire = StunMessageCodec.encode(request, UnpooledByteBufAllocator.DEFAULT);
        try {
            if (!StunMessageCodec.decode(wire).verifyIntegrity(key)) {
                throw new IllegalStateException("the codec does not verify its own integrity");
            }
        } finally {
            wire.release();
        }
    }

    /**
     * Sets {@link LoadConfig#rehearsal} sessions up against a {@link SetupRehearsal} stand-in on loopback,
     * exactly as the measured setup will (the same requests, signatures and checks of the answers, the same
     * pipeline), closes them, and waits until the JIT compilers have finished what that queued: the measured
     * setup then costs this JVM what a warm generator costs rather than its compilation. The server under
     * test receives nothing. The stand-in keeps no allocations, so there is nothing to delete.
     */
    private void rehearse(EventLoopGroup clients, EventLoopGroup standInLoop, InetSocketAddress peer)
            throws InterruptedException {
        if (config.rehearsal() == 0 || config.transport() != LoadConfig.Transport.UDP) {
            return;
        }
        List<Session> sessions = new ArrayList<>(config.rehearsal());
        for (int i = 0; i < config.rehearsal(); i++) {
            sessions.add(new Session(i, config, peer));
        }
        try (SetupRehearsal standIn = SetupRehearsal.start(standInLoop, io, InetAddress.getLoopbackAddress(), config)) {
            List<SetupOutcome> outcomes = setUp(clients, sessions, standIn.address());
            if (events != null && !outcomes.stream().allMatch(SetupOutcome::isOk)) {
                // Only this JVM answers here: a failure says something about this machine, not the server.
                events.printf(Locale.ROOT, "turn-load: the setup rehearsal failed: %s%n", LoadReport.count(outcomes));
            }
            List<ChannelFuture> closed = new ArrayList<>();
            for (Session s : sessions) {
                if (s.channel() != null) {
                    closed.add(s.channel().close());
                }
            }
            for (ChannelFuture f : closed) {
                f.await(5, TimeUnit.SECONDS);
            }
        }
        sessions.clear();
        System.gc(); // the rehearsal's garbage, collected before the clock starts rather than during the setup
        awaitCompilersIdle(TimeUnit.SECONDS.toNanos(10));
    }

    /**
     * Waits until the JIT compiler threads have used no CPU for 300 ms, at most {@code maxNanos}: their CPU
     * time from /proc on Linux, where a compilation in progress shows too, or else the compilation time
     * the JVM reports for finished ones.
     */
    private static void awaitCompilersIdle(long maxNanos) throws InterruptedException {
        long end = System.nanoTime() + maxNanos;
        long last = -1;
        int still = 0;
        while (still < 3 && System.nanoTime() < end) {
            long busy = CompilerTime.now();
            still = busy == last ? still + 1 : 0;
            last = busy;
            Thread.sleep(100);
        }
    }

    /** The sessions' bootstrap without its event loop and handler, made once and cloned per session. */
    private Bootstrap prototype() {
        Bootstrap bootstrap = new Bootstrap();
        if (config.transport() == LoadConfig.Transport.UDP) {
            bootstrap.channel(io.datagram());
            io.datagramOptions(bootstrap, config.maxDatagram(), 1 << 20);
        } else {
            bootstrap.channel(io.socket())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Session.UDP_SCHEDULE.timeout().toMillis());
        }
        return bootstrap;
    }

    /**
     * Opens {@code session}'s socket to {@code server} on {@code loop} and starts its setup once connected;
     * runs on {@code loop}.
     */
    private void connect(Bootstrap prototype, EventLoop loop, Session session, InetSocketAddress server) {
        Bootstrap bootstrap = prototype.clone(loop);
        if (config.transport() == LoadConfig.Transport.UDP) {
            bootstrap.handler(session);
        } else {
            bootstrap.handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new StunStreamDecoder(), session);
                }
            });
        }
        // A connected UDP socket takes plain buffers and hears only the server.
        ChannelFuture connected = bootstrap.connect(server);
        connected.addListener(f -> {
            if (f.isSuccess()) {
                session.start(connected.channel());
            } else {
                session.setup().complete(SetupOutcome.failed(SetupOutcome.CLOSED));
            }
        });
    }

    private static SetupOutcome await(CompletableFuture<SetupOutcome> setup, long deadline)
            throws InterruptedException {
        try {
            return setup.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            setup.complete(SetupOutcome.failed(SetupOutcome.SETUP_TIMEOUT));
            return setup.join();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a session's setup failed with a bug", e.getCause());
        }
    }

    // ---- traffic ----

    private record Measured(Tally tally, double cpuPercent) {
    }

    private Measured drive(List<Session> ready) throws InterruptedException {
        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long measureStart = t0 + config.warmup().toNanos();
        long measureEnd = measureStart + config.duration().toNanos();
        Map<EventLoop, List<Session>> byLoop = new IdentityHashMap<>();
        for (Session s : ready) {
            byLoop.computeIfAbsent(s.channel().eventLoop(), l -> new ArrayList<>()).add(s);
        }
        List<Future<?>> timers = new ArrayList<>();
        for (Map.Entry<EventLoop, List<Session>> e : byLoop.entrySet()) {
            List<Session> mine = e.getValue();
            e.getKey().execute(() -> mine.forEach(s -> s.startTraffic(t0, measureStart, measureEnd)));
            timers.add(e.getKey().scheduleAtFixedRate(() -> tick(mine), TICK_MICROS, TICK_MICROS,
                    TimeUnit.MICROSECONDS));
            long refresh = config.refreshInterval().toNanos();
            if (measureEnd - t0 > refresh) {
                // Allocations live 600 s, channels 600 s, permissions 300 s (RFC 8656 §7, §9, §12).
                timers.add(e.getKey().scheduleAtFixedRate(() -> mine.forEach(Session::refresh), refresh, refresh,
                        TimeUnit.NANOSECONDS));
            }
        }
        Progress line = new Progress(ready, t0, measureStart, measureEnd);
        line.until(measureStart);
        long cpu0 = processCpuNanos();
        long wall0 = System.nanoTime();
        line.until(measureEnd);
        double cpuPercent = 100.0 * (processCpuNanos() - cpu0) / Math.max(1, System.nanoTime() - wall0);
        drain(ready, measureEnd + DRAIN_NANOS);
        line.done();
        for (Future<?> t : timers) {
            t.cancel(false);
        }
        Tally total = Tally.empty();
        for (Map.Entry<EventLoop, List<Session>> e : byLoop.entrySet()) {
            total = total.plus(tallyOn(e.getKey(), e.getValue()));
        }
        return new Measured(total, cpuPercent);
    }

    private static void tick(List<Session> sessions) {
        long now = System.nanoTime();
        for (Session s : sessions) {
            s.tick(now);
        }
    }

    private static void drain(List<Session> ready, long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline && ready.stream().anyMatch(s -> s.outstanding() > 0)) {
            Thread.sleep(10);
        }
    }

    private static Tally tallyOn(EventLoop loop, List<Session> sessions) throws InterruptedException {
        try {
            // Each session's tally is a copy (it leaves the loop); the sum adds them into one histogram.
            return loop.submit(() -> Tally.sum(() -> sessions.stream().map(Session::tally).iterator()))
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the sessions' counts", e);
        }
    }

    private static void deallocate(List<Session> ready) throws InterruptedException {
        List<CompletableFuture<Void>> deleted = new ArrayList<>();
        for (Session s : ready) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            s.channel().eventLoop().execute(() -> s.deallocate().whenComplete((v, e) -> done.complete(null)));
            deleted.add(done);
        }
        try {
            CompletableFuture.allOf(deleted.toArray(CompletableFuture[]::new))
                    .get(DEALLOCATE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // The server deletes what is left when the lifetime runs out (RFC 8656 §7).
        }
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** The local address this machine would use to reach {@code server}: where the built-in peer binds. */
    static InetAddress localAddressTowards(InetSocketAddress server) {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(server);
            InetAddress local = probe.getLocalAddress();
            return local.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : local;
        } catch (SocketException e) {
            return InetAddress.getLoopbackAddress();
        }
    }

    /** The live line: once a second, the echo rate of the last second and the phase. */
    private final class Progress {
        private final List<Session> sessions;
        private final long t0;
        private final long measureStart;
        private final long measureEnd;
        private long lastReceived;
        private long lastAt;
        private boolean printed;

        Progress(List<Session> sessions, long t0, long measureStart, long measureEnd) {
            this.sessions = sessions;
            this.t0 = t0;
            this.measureStart = measureStart;
            this.measureEnd = measureEnd;
            this.lastAt = t0;
        }

        void until(long deadline) throws InterruptedException {
            while (true) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    return;
                }
                long next = lastAt + TimeUnit.SECONDS.toNanos(1);
                if (now >= next) {
                    print(now);
                    next = now + TimeUnit.SECONDS.toNanos(1);
                }
                TimeUnit.NANOSECONDS.sleep(Math.min(deadline, next) - now);
            }
        }

        private void print(long now) {
            if (progress == null) {
                lastAt = now;
                return;
            }
            long sent = 0;
            long received = 0;
            for (Session s : sessions) {
                sent += s.stats().sent();
                received += s.stats().received();
            }
            double rate = (received - lastReceived) * 1e9 / (now - lastAt);
            String phase = now < measureStart ? "warm-up" : now < measureEnd ? "measuring" : "draining";
            progress.printf(Locale.ROOT, "\r%5.0f s  %-9s  %10.0f echoed/s  %12d sent  %12d in flight   ",
                    (now - t0) / 1e9, phase, rate, sent, sent - received);
            progress.flush();
            lastReceived = received;
            lastAt = now;
            printed = true;
        }

        void done() {
            if (printed) {
                progress.println();
                progress.flush();
            }
        }
    }
}
