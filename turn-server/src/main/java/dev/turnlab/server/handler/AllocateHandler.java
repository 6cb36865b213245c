package dev.turnlab.server.handler;

import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Lifetime;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.XorMappedAddress;
import dev.turnlab.codec.attribute.XorRelayedAddress;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.AllocationTable;
import dev.turnlab.server.allocation.ClientLink;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.server.relay.RelayHandler;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Allocate (RFC 8656 §7.2): checks the request rule by rule, admits it against the quotas, takes a relay
 * port, binds the relay socket and answers once it is bound. The success response is kept so that a
 * retransmitted request gets it again.
 */
final class AllocateHandler {

    /** How many ports to try when another process holds the one the allocator chose. */
    private static final int BIND_ATTEMPTS = 8;

    private final ServerContext context;
    private final Set<FiveTuple> pending = ConcurrentHashMap.newKeySet();
    private final Map<Allocation, StunMessage> responses = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    AllocateHandler(ServerContext context) {
        this.context = context;
    }

    /** What a valid Allocate request asks for. */
    record Plan(String username, boolean ipv6, boolean evenPort, boolean reserve, long reservationToken,
            Duration lifetime) {
    }

    void handle(Reply reply) {
        FiveTuple tuple = reply.link().fiveTuple();
        StunMessage request = reply.request();
        // §7.2 rule 2: an allocation already exists for the 5-tuple: 437, unless this is a retransmission
        // of the request that created it, which gets the same success response again.
        Allocation existing = context.allocations().find(tuple);
        if (existing != null && !existing.isDeleted()) {
            StunMessage previous = responses.get(existing);
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
        Object planOrError = plan(reply);
        if (planOrError instanceof ErrorCode error) {
            reply.error(error);
            return;
        }
        Plan plan = (Plan) planOrError;
        // §7.2 rule 8 (quotas): per user 486, server-wide 508.
        AllocationTable.Admission admission = context.allocations().admit(plan.username());
        if (admission != AllocationTable.Admission.ADMITTED) {
            reply.error(admission == AllocationTable.Admission.USER_QUOTA_REACHED
                    ? ErrorCode.ALLOCATION_QUOTA_REACHED : ErrorCode.INSUFFICIENT_CAPACITY);
            return;
        }
        pending.add(tuple);
        bind(reply, plan, BIND_ATTEMPTS);
    }

    /** Checks the request's attributes (§7.2 rules 3-7); returns a {@link Plan} or the {@link ErrorCode} to send. */
    Object plan(Reply reply) {
        StunMessage request = reply.request();
        // §7.2 rule 3: REQUESTED-TRANSPORT must be present (400) and name UDP (442); RFC 6062 TCP relays are not offered.
        RequestedTransport transport = request.get(RequestedTransport.class);
        if (transport == null) {
            return ErrorCode.BAD_REQUEST.withReason("Bad Request: no REQUESTED-TRANSPORT");
        }
        if (transport.protocol() != RequestedTransport.UDP.protocol()) {
            return ErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL;
        }
        boolean ipv6 = false;
        if (!context.endpoints().offers(ipv6)) {
            return ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED;
        }
        Duration lifetime = context.lifetimes().granted(request.get(Lifetime.class));
        return new Plan(reply.auth().username(), ipv6, false, false, 0, lifetime);
    }

    private void bind(Reply reply, Plan plan, int attemptsLeft) {
        int port = context.ports().acquire(plan.evenPort());
        if (port < 0) {
            fail(reply, plan, ErrorCode.INSUFFICIENT_CAPACITY);
            return;
        }
        ClientLink link = reply.link();
        RelayHandler handler = new RelayHandler(context.clock());
        context.binder().bind(link.eventLoop(), context.endpoints().bind(plan.ipv6(), port), handler)
                .addListener(f -> {
                    if (f.isSuccess()) {
                        created(reply, plan, ((io.netty.channel.ChannelFuture) f).channel(), handler, port);
                    } else if (attemptsLeft > 1) {
                        // Another process holds this port: keep it marked used and try another.
                        bind(reply, plan, attemptsLeft - 1);
                    } else {
                        context.ports().release(port);
                        fail(reply, plan, ErrorCode.INSUFFICIENT_CAPACITY);
                    }
                });
    }

    private void created(Reply reply, Plan plan, Channel relay, RelayHandler handler, int port) {
        ClientLink link = reply.link();
        FiveTuple tuple = link.fiveTuple();
        pending.remove(tuple);
        if (!link.isActive()) {
            // The TCP connection closed while the relay socket was being bound (RFC 8656 §3.1).
            relay.close().addListener(f -> context.ports().release(port));
            context.allocations().cancel(plan.username());
            return;
        }
        InetSocketAddress relayed = context.endpoints().advertised(plan.ipv6(), port);
        Allocation allocation = new Allocation(tuple, plan.username(), link, relay, relayed, context.lifetimes(),
                plan.lifetime(), context.clock().millis());
        handler.attach(allocation);
        context.allocations().add(allocation);
        AllocationLog.created(allocation, plan.lifetime());
        // §7.2: XOR-RELAYED-ADDRESS, LIFETIME and XOR-MAPPED-ADDRESS in the success response.
        StunMessage response = reply.success(new XorRelayedAddress(relayed), new Lifetime(plan.lifetime()),
                new XorMappedAddress(tuple.client()));
        responses.put(allocation, response);
    }

    private void fail(Reply reply, Plan plan, ErrorCode error) {
        pending.remove(reply.link().fiveTuple());
        context.allocations().cancel(plan.username());
        reply.error(error);
    }
}
