package dev.turnlab.server.handler;

import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.AdditionalAddressFamily;
import dev.turnlab.codec.attribute.AddressErrorCode;
import dev.turnlab.codec.attribute.AddressFamily;
import dev.turnlab.codec.attribute.AttributeType;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.EvenPort;
import dev.turnlab.codec.attribute.Lifetime;
import dev.turnlab.codec.attribute.RequestedAddressFamily;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.ReservationToken;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.StunAttribute;
import dev.turnlab.codec.attribute.XorMappedAddress;
import dev.turnlab.codec.attribute.XorRelayedAddress;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.AllocationTable;
import dev.turnlab.server.allocation.ClientLink;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.allocation.Relay;
import dev.turnlab.server.allocation.Transport;
import dev.turnlab.server.cluster.ClusterQuota;
import dev.turnlab.server.relay.RelayHandler;
import dev.turnlab.server.relay.tcp.TcpRelays;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Allocate (RFC 8656 §7.2): checks the request rule by rule, admits it against the quotas, takes a relay
 * port, binds the relay socket(s) and answers once they are bound. The success response is kept so
 * that a retransmitted request gets it again.
 */
final class AllocateHandler {

    /** How many ports to try when another process holds the one the allocator chose. */
    private static final int BIND_ATTEMPTS = 8;
    /** How many even ports to try to find one whose successor is free too (EVEN-PORT with R). */
    private static final int PAIR_ATTEMPTS = 32;

    private final ServerContext context;
    private final Function<FiveTuple, Allocation> liveAllocation;
    private final TcpRelays tcp;
    private final Set<FiveTuple> pending = ConcurrentHashMap.newKeySet();

    /**
     * A handler that finds a 5-tuple's allocation through {@code liveAllocation}, which deletes one past its
     * lifetime (freeing its relay ports) and returns null for it, and makes TCP relays with {@code tcp} (none
     * offered when null: 442).
     */
    AllocateHandler(ServerContext context, Function<FiveTuple, Allocation> liveAllocation, TcpRelays tcp) {
        this.context = context;
        this.liveAllocation = liveAllocation;
        this.tcp = tcp;
    }

    /**
     * What a valid Allocate request asks for: relays of IPv4 and/or IPv6, an even port (and whether to
     * reserve the next one), a reserved port to claim, the lifetime, an ADDRESS-ERROR-CODE for an
     * additional family that cannot be served, and whether the relays are TCP (RFC 6062) rather than UDP.
     */
    record Plan(String username, boolean ipv4, boolean ipv6, boolean evenPort, boolean reserve, Long token,
            Duration lifetime, AddressErrorCode addressError, boolean tcp) {
    }

    void handle(Reply reply) {
        FiveTuple tuple = reply.link().fiveTuple();
        StunMessage request = reply.request();
        // §7.2 rule 2: an allocation already exists for the 5-tuple: 437, unless this is a retransmission
        // of the request that created it, which gets the same success response again.
        // An allocation whose lifetime has passed is gone (RFC 8656 §7.3), reaped or not: the 5-tuple is free.
        Allocation existing = liveAllocation.apply(tuple);
        if (existing != null && !existing.isDeleted()) {
            StunMessage previous = existing.allocateResponse();
            if (previous != null && previous.transactionId().equals(request.transactionId())) {
                reply.resend(previous);
            } else {
                reply.error(ErrorCode.ALLOCATION_MISMATCH);
            }
            return;
        }
        if (pending.contains(tuple)) {
            return; // a retransmission while the relay socket is being bound: the first answer will do
        }
        Object planOrError = plan(request, reply.auth().username(), tuple.transport());
        if (planOrError instanceof ErrorCode error) {
            reply.error(error);
            return;
        }
        Plan plan = (Plan) planOrError;
        // A draining server takes no new allocation: 300 to an alternate (RFC 8489 §10), else 508.
        if (context.redirect().draining()) {
            context.redirect().refuse(reply, Redirect.Reason.DRAINING);
            return;
        }
        // §7.2 rule 8 (quotas): per user 486, server-wide 508 (or 300 to an alternate). The bandwidth budget
        // is server-wide too: coturn answers 486 there, but the user holds nothing that freeing would help; it
        // is this server that lacks capacity, which is 508's meaning (RFC 8656 §7.2, §19).
        // In a cluster the user quota is counted over every node (below); the total quota stays this node's.
        ClusterQuota clusterQuota = clusterQuota(context);
        AllocationTable.Admission admission = context.allocations().admit(plan.username(), clusterQuota == null);
        if (admission == AllocationTable.Admission.USER_QUOTA_REACHED) {
            reply.error(ErrorCode.ALLOCATION_QUOTA_REACHED);
            return;
        }
        if (admission != AllocationTable.Admission.ADMITTED) {
            if (admission == AllocationTable.Admission.BANDWIDTH_REACHED) {
                context.counters().bandwidthRefused();
            }
            context.redirect().refuse(reply, Redirect.Reason.FULL);
            return;
        }
        pending.add(tuple);
        if (clusterQuota == null) {
            take(reply, plan);
            return;
        }
        // Asked of Redis without blocking: the Allocate goes on on the client's event loop when it answers, or
        // when the command timeout has passed.
        clusterQuota.admit(plan.username(), () -> context.allocations().count(plan.username()))
                .thenAcceptAsync(verdict -> counted(reply, plan, verdict), reply.link().eventLoop());
    }

    /**
     * Goes on with an Allocate once the cluster has counted it: 486 when the user has the quota's allocations
     * over the cluster, or, when Redis did not answer, on this node (counted as a fallback).
     */
    private void counted(Reply reply, Plan plan, ClusterQuota.Verdict verdict) {
        boolean refused = verdict == ClusterQuota.Verdict.REFUSED || verdict == ClusterQuota.Verdict.UNCHECKED
                && context.allocations().count(plan.username()) > context.allocations().userQuota();
        if (refused) {
            fail(reply, plan, ErrorCode.ALLOCATION_QUOTA_REACHED);
            return;
        }
        take(reply, plan);
    }

    /** Takes a relay port for an admitted Allocate: the reserved one of its token, or any, and binds it. */
    private void take(Reply reply, Plan plan) {
        if (plan.token() != null) {
            int port = context.reservations().claim(plan.token(), context.clock().millis());
            if (port < 0) {
                // §7.2 rule 5: a RESERVATION-TOKEN that names no held port: 508.
                fail(reply, plan, ErrorCode.INSUFFICIENT_CAPACITY);
                return;
            }
            bind(reply, plan, port, 1);
        } else {
            bindAnyPort(reply, plan, BIND_ATTEMPTS);
        }
    }

    /**
     * Checks the attributes of a request that came over {@code over} (§7.2 rules 3-7, RFC 6062 §5.1); returns
     * a {@link Plan} or the {@link ErrorCode} to send.
     */
    Object plan(StunMessage request, String username, Transport over) {
        // §7.2 rule 3: REQUESTED-TRANSPORT must be present (400) and name UDP, or TCP (RFC 6062), else 442.
        RequestedTransport transport = request.get(RequestedTransport.class);
        if (transport == null) {
            return ErrorCode.BAD_REQUEST.withReason("Bad Request: no REQUESTED-TRANSPORT");
        }
        boolean tcpRelay = tcp != null && transport.protocol() == RequestedTransport.TCP.protocol();
        if (transport.protocol() != RequestedTransport.UDP.protocol() && !tcpRelay) {
            return ErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL;
        }
        if (tcpRelay) {
            // RFC 6062 §5.1: a TCP relay is for a client on TCP or TLS, and has no use for DONT-FRAGMENT,
            // EVEN-PORT or RESERVATION-TOKEN: 400 for each.
            if (!over.isStream()) {
                return ErrorCode.BAD_REQUEST.withReason("Bad Request: TCP relay over UDP");
            }
            if (request.has(AttributeType.DONT_FRAGMENT) || request.has(AttributeType.EVEN_PORT)
                    || request.has(AttributeType.RESERVATION_TOKEN)) {
                return ErrorCode.BAD_REQUEST.withReason("Bad Request: DONT-FRAGMENT, EVEN-PORT or RESERVATION-TOKEN with TCP");
            }
        }
        // §7.2 rule 4 (DONT-FRAGMENT) is enforced before this: Java cannot set the DF bit, so the
        // attribute is answered with 420 as an unknown comprehension-required attribute.
        ReservationToken token = request.get(ReservationToken.class);
        EvenPort even = request.get(EvenPort.class);
        RequestedAddressFamily requested = request.get(RequestedAddressFamily.class);
        AdditionalAddressFamily additional = request.get(AdditionalAddressFamily.class);
        // §7.2 rule 5: RESERVATION-TOKEN excludes EVEN-PORT and REQUESTED-ADDRESS-FAMILY.
        if (token != null && (even != null || requested != null)) {
            return ErrorCode.BAD_REQUEST.withReason("Bad Request: RESERVATION-TOKEN with EVEN-PORT or REQUESTED-ADDRESS-FAMILY");
        }
        // §7.2 rule 6: EVEN-PORT with R set cannot be combined with ADDITIONAL-ADDRESS-FAMILY.
        if (even != null && even.reserve() && additional != null) {
            return ErrorCode.BAD_REQUEST.withReason("Bad Request: EVEN-PORT R with ADDITIONAL-ADDRESS-FAMILY");
        }
        // §7.2 rule 7: REQUESTED- and ADDITIONAL-ADDRESS-FAMILY are exclusive; the additional one must be IPv6.
        if (requested != null && additional != null
                || additional != null && additional.family() != AddressFamily.IPV6) {
            return ErrorCode.BAD_REQUEST.withReason("Bad Request: address family attributes");
        }
        boolean ipv6 = requested != null && requested.family() == AddressFamily.IPV6;
        if (!context.endpoints().offers(ipv6)) {
            return ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED;
        }
        boolean dual = additional != null && context.endpoints().offers(true);
        AddressErrorCode addressError = additional != null && !dual
                ? new AddressErrorCode(AddressFamily.IPV6, 440, "Address Family not Supported") : null;
        Duration lifetime = context.lifetimes().granted(request.get(Lifetime.class));
        return new Plan(username, !ipv6, ipv6 || dual, even != null, even != null && even.reserve(),
                token == null ? null : token.token(), lifetime, addressError, tcpRelay);
    }

    private void bindAnyPort(Reply reply, Plan plan, int attemptsLeft) {
        int port = plan.reserve() ? acquirePair() : context.ports().acquire(plan.evenPort());
        if (port < 0) {
            // No relay port free: full, so 300 to an alternate when there is one, else 508.
            pending.remove(reply.link().fiveTuple());
            cancel(plan);
            context.redirect().refuse(reply, Redirect.Reason.FULL);
            return;
        }
        bind(reply, plan, port, attemptsLeft);
    }

    /** An even port whose successor is taken too, for EVEN-PORT with R (§7.2 rule 6), or -1. */
    private int acquirePair() {
        for (int i = 0; i < PAIR_ATTEMPTS; i++) {
            int port = context.ports().acquire(true);
            if (port < 0) {
                return -1;
            }
            if (context.ports().acquire(port + 1)) {
                return port;
            }
            context.ports().release(port);
        }
        return -1;
    }

    /**
     * Binds one relay per family on {@code port}; another socket holding it means giving it back and trying
     * another port, up to {@code attemptsLeft} in all.
     */
    private void bind(Reply reply, Plan plan, int port, int attemptsLeft) {
        List<Boolean> families = new ArrayList<>(2);
        if (plan.ipv4()) {
            families.add(false);
        }
        if (plan.ipv6()) {
            families.add(true);
        }
        List<Relay> relays = new ArrayList<>(2);
        List<RelayHandler> handlers = new ArrayList<>(2);
        bindNext(reply, plan, port, attemptsLeft, families, relays, handlers);
    }

    private void bindNext(Reply reply, Plan plan, int port, int attemptsLeft, List<Boolean> families,
            List<Relay> relays, List<RelayHandler> handlers) {
        if (relays.size() == families.size()) {
            created(reply, plan, port, relays, handlers);
            return;
        }
        boolean ipv6 = families.get(relays.size());
        InetSocketAddress address = context.endpoints().bind(ipv6, port);
        RelayHandler handler = plan.tcp() ? null : new RelayHandler(context.clock(), context.endpoints(), context.faults(),
                context.counters().relayLatency());
        ChannelFuture bound;
        try {
            bound = plan.tcp() ? tcp.listen(reply.link().eventLoop(), address)
                    : context.binder().bind(reply.link().eventLoop(), address, handler);
        } catch (ChannelException noSocket) { // e.g. out of file descriptors: as a failed bind
            relayBound(null, noSocket, reply, plan, port, attemptsLeft, families, relays, handlers, handler, address);
            return;
        }
        // A TCP relay's socket may run on another event loop (TcpRelaySockets): its answer comes back to this one.
        EventLoop loop = reply.link().eventLoop();
        bound.addListener(f -> {
            Channel channel = f.isSuccess() ? ((ChannelFuture) f).channel() : null;
            if (!plan.tcp() || loop.inEventLoop()) {
                relayBound(channel, f.cause(), reply, plan, port, attemptsLeft, families, relays, handlers, handler,
                        address);
            } else {
                loop.execute(() -> relayBound(channel, f.cause(), reply, plan, port, attemptsLeft, families, relays,
                        handlers, handler, address));
            }
        });
    }

    /** Goes on once a relay socket is bound ({@code channel}), or could not be ({@code cause}). */
    private void relayBound(Channel channel, Throwable cause, Reply reply, Plan plan, int port, int attemptsLeft,
            List<Boolean> families, List<Relay> relays, List<RelayHandler> handlers, RelayHandler handler,
            InetSocketAddress address) {
        boolean ipv6 = families.get(relays.size());
        if (channel != null) {
            relays.add(new Relay(channel, context.endpoints().advertised(ipv6, port)));
            if (handler != null) {
                handlers.add(handler);
            }
            bindNext(reply, plan, port, attemptsLeft, families, relays, handlers);
            return;
        }
        // Another socket holds the port (or the address is gone): the port goes back to the allocator,
        // which passes it over for a while, once the relays bound on it so far have closed.
        context.log().relayUnavailable(address, cause);
        if (plan.reserve()) {
            context.ports().release(port + 1);
        }
        whenClosed(relays, () -> context.ports().releaseAfterBindFailure(port));
        // A claimed reservation gets no second try: its token named this port.
        if (attemptsLeft > 1 && plan.token() == null) {
            bindAnyPort(reply, plan, attemptsLeft - 1);
        } else {
            fail(reply, plan, ErrorCode.INSUFFICIENT_CAPACITY);
        }
    }

    /** Closes {@code relays} and runs {@code then} once all are closed (at once when there are none). */
    private static void whenClosed(List<Relay> relays, Runnable then) {
        if (relays.isEmpty()) {
            then.run();
            return;
        }
        AtomicInteger open = new AtomicInteger(relays.size());
        relays.forEach(r -> r.channel().close().addListener(f -> {
            if (open.decrementAndGet() == 0) {
                then.run();
            }
        }));
    }

    private void created(Reply reply, Plan plan, int port, List<Relay> relays, List<RelayHandler> handlers) {
        ClientLink link = reply.link();
        FiveTuple tuple = link.fiveTuple();
        pending.remove(tuple);
        if (!link.isActive()) {
            // The TCP connection closed while the relay socket was being bound (RFC 8656 §3.1).
            if (plan.reserve()) {
                context.ports().release(port + 1);
            }
            whenClosed(relays, () -> context.ports().release(port));
            cancel(plan);
            return;
        }
        long now = context.clock().millis();
        Allocation allocation = new Allocation(tuple, plan.username(), link, relays, context.lifetimes(),
                plan.lifetime(), now, context.peerQuota(), context.allocations().maxBps());
        handlers.forEach(h -> h.attach(allocation));
        if (plan.tcp()) {
            tcp.opened(allocation);
        }
        relays.forEach(r -> context.peers().relayOpened(r.relayedAddress()));
        context.allocations().add(allocation);
        context.counters().allocationCreated();
        Software software = reply.request().get(Software.class);
        context.log().created(allocation, plan.lifetime(), software == null ? null : software.value());
        // §7.2: XOR-RELAYED-ADDRESS (one per family), LIFETIME, RESERVATION-TOKEN when a port was
        // reserved, XOR-MAPPED-ADDRESS, and ADDRESS-ERROR-CODE for an additional family not served.
        List<StunAttribute> attributes = new ArrayList<>(6);
        // The fault advertise=ADDR puts another address here, as a wrong static NAT setting would.
        relays.forEach(r -> attributes.add(new XorRelayedAddress(context.faults().current().advertised(r.relayedAddress()))));
        attributes.add(new Lifetime(plan.lifetime()));
        if (plan.reserve()) {
            attributes.add(new ReservationToken(context.reservations().hold(port + 1, now)));
        }
        attributes.add(new XorMappedAddress(tuple.client()));
        if (plan.addressError() != null) {
            attributes.add(plan.addressError());
        }
        StunMessage response = reply.success(attributes.toArray(new StunAttribute[0]));
        context.counters().allocationSetup().observe(System.nanoTime() - reply.received());
        allocation.allocateResponse(response);
    }

    private void fail(Reply reply, Plan plan, ErrorCode error) {
        pending.remove(reply.link().fiveTuple());
        cancel(plan);
        reply.error(error);
    }

    /** Gives back an admission that did not become an allocation, here and in the cluster's count. */
    private void cancel(Plan plan) {
        context.allocations().cancel(plan.username());
        clusterCountChanged(context, plan.username());
    }

    /** The user quota counted over the cluster, or null when it is this node's alone (or there is none). */
    private static ClusterQuota clusterQuota(ServerContext context) {
        return context.node() == null ? null : context.node().quota();
    }

    /** Writes {@code user}'s allocations on this node to the cluster's count, when there is one. */
    static void clusterCountChanged(ServerContext context, String user) {
        ClusterQuota quota = clusterQuota(context);
        if (quota != null) {
            quota.changed(user, () -> context.allocations().count(user));
        }
    }
}
