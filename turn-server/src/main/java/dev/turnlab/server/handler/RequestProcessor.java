package dev.turnlab.server.handler;

import dev.turnlab.codec.ChannelDataCodec;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunCodecException;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.AddressFamily;
import dev.turnlab.codec.attribute.ChannelNumber;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Lifetime;
import dev.turnlab.codec.attribute.MappedAddress;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.RequestedAddressFamily;
import dev.turnlab.codec.attribute.XorMappedAddress;
import dev.turnlab.codec.attribute.XorPeerAddress;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.ClientLink;
import dev.turnlab.server.allocation.Deletion;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.allocation.Relay;
import dev.turnlab.server.auth.AuthResult;
import dev.turnlab.server.fault.FaultSwitch;
import dev.turnlab.server.fault.Faults;
import dev.turnlab.server.fault.RelayFaults;
import dev.turnlab.server.fault.RequestFaults;
import dev.turnlab.server.relay.DataPath;
import dev.turnlab.server.relay.PeerPolicy;
import dev.turnlab.server.relay.PeerRule;
import dev.turnlab.server.relay.tcp.TcpRelays;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers STUN/TURN requests and indications (RFC 8489 §6.3, RFC 8656 §7-§11). Each method follows the
 * numbered rules of its RFC section; protocol problems become error responses. Runs on the event loop
 * of the client's link, which also owns the client's allocation.
 */
public final class RequestProcessor {

    private final ServerContext context;
    private final AllocateHandler allocate;
    private final TcpRelays tcp;
    private final ConnectHandler connect;

    /** A processor over the shared server state that offers no TCP relays (REQUESTED-TRANSPORT TCP: 442). */
    public RequestProcessor(ServerContext context) {
        this(context, null);
    }

    /** A processor over the shared server state that makes TCP relays (RFC 6062) with {@code tcp}, unless null. */
    public RequestProcessor(ServerContext context, TcpRelays tcp) {
        this.context = context;
        this.tcp = tcp;
        this.allocate = new AllocateHandler(context, this::liveAllocation, tcp);
        this.connect = tcp == null ? null : new ConnectHandler(context, tcp);
    }

    /** The shared server state. */
    public ServerContext context() {
        return context;
    }

    /** Handles one decoded STUN message from the client behind {@code link}. */
    public void message(StunMessage message, ClientLink link) {
        message(message, link, context.faults().current());
    }

    /**
     * Handles one decoded STUN message from the client behind {@code link} under the lab faults {@code now},
     * read once by the listener for the whole datagram or frame, so that one message never meets two sets.
     */
    public void message(StunMessage message, ClientLink link, Faults now) {
        if (message.stunClass() == StunClass.REQUEST && stalled(now)) {
            return;
        }
        if (message.stunClass() == StunClass.REQUEST) {
            request(message, link, now);
        } else if (message.stunClass() == StunClass.INDICATION && message.method().equals(Method.SEND)) {
            send(message, link, now);
        } else {
            // Responses and other indications from a client mean nothing to a server (RFC 8489 §6.3.2-§6.3.4).
            context.counters().droppedIndication();
        }
    }

    /**
     * Answers a message whose header was readable but whose body was not: a request gets 400 Bad Request
     * (RFC 8489 §6.3.1) unless §7.3 says to discard it silently; anything else is dropped. All are counted.
     */
    public void malformed(StunCodecException error, ClientLink link) {
        malformed(error, link, context.faults().current());
    }

    /** {@link #malformed(StunCodecException, ClientLink)} under the lab faults {@code now}. */
    public void malformed(StunCodecException error, ClientLink link, Faults now) {
        if (error.stunClass() == StunClass.REQUEST && stalled(now)) {
            return;
        }
        context.counters().malformed();
        context.log().malformed(link.fiveTuple(), error.getMessage());
        // RFC 8489 §7.3: a nonsensical length or a wrong FINGERPRINT is discarded silently, not answered.
        // The answer is the bare 400: the diagnostic stays in the debug log, and an unauthenticated error
        // carries no SOFTWARE, so that junk does not draw a larger answer back (RFC 8489 §16.1.3).
        if (error.isAnswerable() && error.stunClass() == StunClass.REQUEST) {
            StunMessage response = StunMessage.builder(error.method(), StunClass.ERROR_RESPONSE)
                    .transactionId(error.transactionId())
                    .add(ErrorCode.BAD_REQUEST)
                    .build();
            link.write(StunMessageCodec.encode(response, link.alloc()));
        }
    }

    private void request(StunMessage request, ClientLink link, Faults now) {
        context.counters().request(request.method());
        Reply reply = new Reply(request, link, context.software(), context.log(), context.counters());
        Method method = request.method();
        if (method.equals(Method.BINDING)) {
            // RFC 8489 §6.3.1.1: unknown comprehension-required attributes get 420 on Binding too.
            List<Integer> unknown = request.unknownComprehensionRequired(Understood.binding(request));
            if (unknown.isEmpty()) {
                binding(reply);
            } else {
                reply.unknownAttributes(unknown);
            }
            return;
        }
        boolean tcpMethod = method.equals(Method.CONNECT) || method.equals(Method.CONNECTION_BIND);
        if (!(method.equals(Method.ALLOCATE) || method.equals(Method.REFRESH)
                || method.equals(Method.CREATE_PERMISSION) || method.equals(Method.CHANNEL_BIND)
                || tcpMethod && tcp != null)) {
            // RFC 8489 §6.3.1: a method the server does not know gets 400 (RFC 6062's without TCP relays).
            context.log().malformed(reply.link().fiveTuple(), "unsupported method " + method);
            reply.error(ErrorCode.BAD_REQUEST);
            return;
        }
        ErrorCode forced = RequestFaults.beforeAuthentication(now, request);
        if (forced != null) {
            FiveTuple tuple = reply.link().fiveTuple();
            reply.error(forced, context.authenticator().challengeAttributes(tuple.client(), context.allocations().generation(tuple)));
            return;
        }
        FiveTuple client = link.fiveTuple();
        CompletableFuture<Void> lookup = context.authenticator().lookUp(request, client.client(),
                context.allocations().generation(client));
        if (lookup == null) {
            authenticated(reply, now);
            return;
        }
        // The user is being read from the cluster's Redis: the request waits off the event loop and comes back
        // to it; a user that cannot be checked now gets 500, a temporary error (RFC 8489 §14.8), not a 401.
        lookup.whenCompleteAsync((v, e) -> {
            if (e == null) {
                authenticated(reply, now);
            } else {
                reply.error(ErrorCode.SERVER_ERROR);
            }
        }, link.eventLoop());
    }

    /** The rest of a request that needs credentials, once they can be checked from memory. */
    private void authenticated(Reply reply, Faults now) {
        StunMessage request = reply.request();
        Method method = request.method();
        if (!authenticate(reply, now)) {
            return;
        }
        // RFC 8489 §6.3.1.1: unknown comprehension-required attributes, checked once authenticated.
        List<Integer> unknown = request.unknownComprehensionRequired(Understood.forRequest(request));
        if (!unknown.isEmpty()) {
            reply.unknownAttributes(unknown);
            return;
        }
        if (method.equals(Method.CONNECTION_BIND)) {
            // RFC 6062 §5.4: sent on a new connection, which has no allocation of its own.
            connect.connectionBind(reply);
            return;
        }
        if (method.equals(Method.ALLOCATE)) {
            ErrorCode forced = RequestFaults.afterAuthentication(now, request);
            if (forced != null) {
                reply.error(forced);
            } else {
                allocate.handle(reply);
            }
            return;
        }
        Allocation allocation = existingAllocation(reply);
        if (allocation == null) {
            return;
        }
        if (method.equals(Method.REFRESH)) {
            refresh(reply, allocation);
        } else if (method.equals(Method.CREATE_PERMISSION)) {
            createPermission(reply, allocation);
        } else if (method.equals(Method.CONNECT)) {
            connect.connect(reply, allocation);
        } else if (tcp != null && tcp.serves(allocation)) {
            // A TCP allocation (RFC 6062) relays over data connections: channels and Send are for UDP relays.
            reply.error(ErrorCode.BAD_REQUEST.withReason("Bad Request: ChannelBind on a TCP allocation"));
        } else {
            channelBind(reply, allocation);
        }
    }

    /** Binding (RFC 8489 §6.3.1, RFC 3489 §8.2): the reflexive address, without authentication. */
    private void binding(Reply reply) {
        StunMessage request = reply.request();
        InetSocketAddress client = reply.link().fiveTuple().client();
        if (request.isClassic()) {
            // An RFC 3489 client knows MAPPED-ADDRESS only (RFC 8489 §12).
            reply.success(new MappedAddress(client));
        } else {
            reply.success(new XorMappedAddress(client));
        }
    }

    /** Runs the long-term credential checks (RFC 8489 §9.2.4); on failure the error was sent and logged. */
    private boolean authenticate(Reply reply, Faults now) {
        FiveTuple tuple = reply.link().fiveTuple();
        // Read once: the nonce is checked against, and a fresh one issued for, the same generation.
        int generation = context.allocations().generation(tuple);
        AuthResult result = RequestFaults.staleNonce(now,
                context.authenticator().authenticate(reply.request(), tuple.client(), generation),
                context.authenticator(), tuple.client(), generation);
        if (result instanceof AuthResult.Accepted accepted) {
            reply.authenticated(accepted);
            return true;
        }
        AuthResult.Rejected rejected = (AuthResult.Rejected) result;
        String method = reply.request().method().toString();
        if (rejected.challenge()) {
            context.log().challenged(method, tuple);
        } else if (rejected.failure() == AuthResult.Failure.RATE_LIMITED_SOURCE
                || rejected.failure() == AuthResult.Failure.RATE_LIMITED_USER) {
            context.counters().authRejection(rejected);
            context.log().loginLimited(method, rejected.username(), tuple, rejected.failure().label());
        } else {
            context.counters().authRejection(rejected);
            Realm realm = reply.request().get(Realm.class);
            Allocation held = context.allocations().find(tuple);
            context.log().rejected(method, rejected.username(), realm == null ? null : realm.value(), tuple,
                    held == null ? null : held.id(), rejected.error().code(), rejected.reason());
        }
        reply.error(rejected.error(), rejected.attributes());
        return false;
    }

    /**
     * The allocation of {@code tuple}, or null: one whose lifetime has passed is deleted here, whether or
     * not the sweep has reached it yet (RFC 8656 §7.3).
     */
    private Allocation liveAllocation(FiveTuple tuple) {
        Allocation allocation = context.allocations().find(tuple);
        if (allocation != null && allocation.isExpired(context.clock().millis())) {
            delete(allocation, Deletion.EXPIRED);
            return null;
        }
        return allocation;
    }

    /**
     * The allocation of the request's 5-tuple (RFC 8656 §5): none gives 437 Allocation Mismatch, one
     * created with other credentials gives 441 Wrong Credentials.
     */
    private Allocation existingAllocation(Reply reply) {
        Allocation allocation = liveAllocation(reply.link().fiveTuple());
        if (allocation == null) {
            reply.error(ErrorCode.ALLOCATION_MISMATCH);
            return null;
        }
        reply.concerns(allocation);
        if (!allocation.username().equals(reply.auth().username())) {
            reply.error(ErrorCode.WRONG_CREDENTIALS);
            return null;
        }
        return allocation;
    }

    /** Refresh (RFC 8656 §7.3). */
    private void refresh(Reply reply, Allocation allocation) {
        Lifetime requested = reply.request().get(Lifetime.class);
        // §7.3: a REQUESTED-ADDRESS-FAMILY the allocation has no relay of: 443. (The lifetime is one for
        // the whole allocation, so a dual-stack allocation is refreshed or deleted as a whole.)
        RequestedAddressFamily family = reply.request().get(RequestedAddressFamily.class);
        if (family != null && !hasFamily(allocation, family.family())) {
            reply.error(ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
            return;
        }
        // §7.3: a LIFETIME of zero deletes the allocation; the response carries LIFETIME 0.
        if (requested != null && requested.seconds() == 0) {
            delete(allocation, Deletion.REFRESH);
            reply.success(Lifetime.ofSeconds(0));
            return;
        }
        // §7.3: otherwise min(requested, maximum), but never less than the default.
        Duration granted = context.lifetimes().granted(requested);
        allocation.refresh(granted, context.clock().millis());
        context.log().refreshed(allocation, granted);
        reply.success(new Lifetime(granted));
    }

    private static boolean hasFamily(Allocation allocation, AddressFamily family) {
        for (Relay r : allocation.relays()) {
            boolean v6 = r.relayedAddress().getAddress() instanceof Inet6Address;
            if (v6 == (family == AddressFamily.IPV6)) {
                return true;
            }
        }
        return false;
    }

    /** CreatePermission (RFC 8656 §9.2): every peer is checked before any permission is installed. */
    private void createPermission(Reply reply, Allocation allocation) {
        List<XorPeerAddress> peers = reply.request().attributes(XorPeerAddress.class);
        // §9.2 rule: at least one XOR-PEER-ADDRESS, else 400.
        if (peers.isEmpty()) {
            reply.error(ErrorCode.BAD_REQUEST.withReason("Bad Request: no XOR-PEER-ADDRESS"));
            return;
        }
        // A peer on this server's advertised address is reached on the relay address (RelayEndpoints.inward).
        List<InetSocketAddress> targets = peers.stream().map(p -> context.endpoints().inward(p.address())).toList();
        int ownRelays = 0;
        for (int i = 0; i < targets.size(); i++) {
            PeerRule rule = context.peers().rule(targets.get(i));
            if (refused(reply, allocation, peers.get(i).address(), targets.get(i), rule)) {
                return;
            }
            ownRelays += rule.verdict() == PeerPolicy.Verdict.OWN_RELAY ? 1 : 0;
        }
        long now = context.clock().millis();
        // A bounded number of permissions per allocation; past it, 508 Insufficient Capacity (RFC 8656 §9.2
        // lets the server refuse for lack of resources) and none of the request's permissions is installed.
        if (!allocation.hasRoomForPermissions(targets.stream().map(InetSocketAddress::getAddress).toList(), now)) {
            reply.error(ErrorCode.INSUFFICIENT_CAPACITY);
            return;
        }
        for (InetSocketAddress target : targets) {
            allocation.installPermission(target.getAddress(), now);
        }
        context.counters().relayToRelayPermissions(ownRelays);
        reply.success();
    }

    /** ChannelBind (RFC 8656 §11.2). */
    private void channelBind(Reply reply, Allocation allocation) {
        ChannelNumber channel = reply.request().get(ChannelNumber.class);
        XorPeerAddress peer = reply.request().get(XorPeerAddress.class);
        // §11.2 rule 1: a CHANNEL-NUMBER in 0x4000-0x4FFF and an XOR-PEER-ADDRESS, else 400. Channels up
        // to 0x7FFF are accepted too: RFC 5766 §11 allowed them and its clients (coturn's uclient) use them.
        if (channel == null || peer == null) {
            reply.error(ErrorCode.BAD_REQUEST.withReason("Bad Request: no CHANNEL-NUMBER or XOR-PEER-ADDRESS"));
            return;
        }
        if (channel.number() < ChannelNumber.MIN || channel.number() > ChannelDataCodec.MAX_CHANNEL_NUMBER) {
            reply.error(ErrorCode.BAD_REQUEST.withReason(
                    String.format("Bad Request: channel 0x%04X outside 0x4000-0x7FFF", channel.number())));
            return;
        }
        InetSocketAddress target = context.endpoints().inward(peer.address());
        PeerRule rule = context.peers().rule(target);
        if (refused(reply, allocation, peer.address(), target, rule)) {
            return;
        }
        // §11.2 rules 2 and 3: neither the number nor the peer may be bound to something else.
        switch (allocation.bindChannel(channel.number(), target, context.clock().millis())) {
            case BOUND -> {
                context.counters().relayToRelayPermissions(rule.verdict() == PeerPolicy.Verdict.OWN_RELAY ? 1 : 0);
                reply.success();
            }
            case NUMBER_IN_USE -> reply.error(ErrorCode.BAD_REQUEST.withReason("Bad Request: channel bound to another peer"));
            case PEER_IN_USE -> reply.error(ErrorCode.BAD_REQUEST.withReason("Bad Request: peer bound to another channel"));
            case QUOTA_REACHED -> reply.error(ErrorCode.INSUFFICIENT_CAPACITY);
            default -> throw new AssertionError();
        }
    }

    /**
     * Answers a permission or channel to {@code target} (the peer the client {@code named}, as this server
     * reaches it) that may not be installed, and says so: 443 Peer Address Family Mismatch when its family is
     * not the relay's (RFC 8656 §9.2, §11.2), 403 Forbidden when the peer policy refuses it by {@code rule}
     * (§9.2), logged with the peer and the rule.
     */
    static boolean refused(Reply reply, Allocation allocation, InetSocketAddress named, InetSocketAddress target,
            PeerRule rule) {
        if (allocation.relayFor(target.getAddress()) == null) {
            reply.error(ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
            return true;
        }
        if (!rule.verdict().permitted()) {
            reply.forbidden(named, target, rule);
            return true;
        }
        return false;
    }


    /**
     * Send indication (RFC 8656 §10.2): relayed when the 5-tuple has an allocation, XOR-PEER-ADDRESS and
     * DATA are present and a permission exists for the peer's IP; otherwise silently dropped.
     */
    private void send(StunMessage indication, ClientLink link, Faults active) {
        Allocation allocation = context.allocations().find(link.fiveTuple());
        XorPeerAddress peer = indication.get(XorPeerAddress.class);
        Data data = indication.get(Data.class);
        long now = context.clock().millis();
        InetSocketAddress target = peer == null ? null : context.endpoints().inward(peer.address());
        if (allocation == null || allocation.isDeleted() || allocation.isExpired(now) || target == null || data == null
                || !allocation.hasPermission(target.getAddress(), now) || tcp != null && tcp.serves(allocation)
                || !indication.unknownComprehensionRequired(Understood.SEND).isEmpty()) {
            context.counters().droppedIndication();
            return;
        }
        // A permission is per IP address (RFC 8656 §9), so one for the server's own address (a live relay's)
        // must not carry data to the server's listening sockets, to relay ports nobody holds, or to other
        // ports of an address the rules refuse: the port is judged on every indication.
        PeerRule rule = context.peers().rule(target);
        if (!rule.verdict().permitted()) {
            if (rule.verdict() == PeerPolicy.Verdict.SERVER_SOCKET) {
                context.counters().selfRelayRefused();
            } else {
                context.counters().droppedIndication();
            }
            context.log().sendRefused(allocation, peer.address(), target, rule);
            return;
        }
        if (active.relay()) {
            RelayFaults.sendToPeer(context.faults(), active, allocation, target, data, context.clock()::millis,
                    context.counters()::notRelayed);
            return;
        }
        context.counters().notRelayed(DataPath.sendToPeer(allocation, target, data, now));
    }

    /** Whether the fault {@code stall} is on: the request is read and left unanswered, counted. */
    private boolean stalled(Faults now) {
        if (!now.stall()) {
            return false;
        }
        context.faults().dropped(FaultSwitch.Drop.STALL);
        return true;
    }

    /**
     * Deletes an allocation for {@code why}: it leaves the table, is counted and logged with its cause, its
     * relay socket closes and the port returns to the allocator once the socket is closed. Called on the
     * allocation's event loop; a second call for the same allocation does nothing.
     */
    public void delete(Allocation allocation, Deletion why) {
        if (!allocation.markDeleted()) {
            return;
        }
        // Out of the table first: a metrics reader on another thread never sees it counted deleted yet active.
        if (context.allocations().remove(allocation)) {
            AllocateHandler.clusterCountChanged(context, allocation.username());
        }
        context.counters().allocationDeleted(allocation, why);
        int port = allocation.relayedAddress().getPort();
        // Every relay of the allocation shares one port number: release it once all are closed, and only
        // after the peer policy stopped treating it as a live relay, so a new owner is never judged the old.
        AtomicInteger open = new AtomicInteger(allocation.relays().size());
        for (Relay relay : allocation.relays()) {
            relay.channel().close().addListener(f -> {
                context.peers().relayClosed(relay.relayedAddress());
                if (open.decrementAndGet() == 0) {
                    context.ports().release(port);
                }
            });
        }
        if (tcp != null) {
            tcp.deleted(allocation);
        }
        context.log().deleted(allocation, why);
    }

    /**
     * Deletes {@code allocation} if expired and otherwise drops its stale permissions and channels and logs
     * what it dropped over its bandwidth limit since the last sweep (one line, not one per datagram).
     */
    public void expire(Allocation allocation) {
        long now = context.clock().millis();
        if (allocation.isExpired(now)) {
            delete(allocation, Deletion.EXPIRED);
        } else {
            allocation.sweep(now);
            context.log().swept(allocation);
        }
    }
}
