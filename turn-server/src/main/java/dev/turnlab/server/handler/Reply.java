package dev.turnlab.server.handler;

import dev.turnlab.server.ServerCounters;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.StunAttribute;
import dev.turnlab.codec.attribute.UnknownAttributes;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.allocation.ClientLink;
import dev.turnlab.server.auth.AuthResult;
import dev.turnlab.server.relay.PeerRule;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Builds and sends the response to one request: SOFTWARE (RFC 8489 §14.14) in success responses and
 * in errors to authenticated requests only, so that an unauthenticated request draws the smallest answer
 * the RFC allows (§16.1.3, amplification); integrity with the request's key once authenticated (§9.2.4);
 * FINGERPRINT when the request had one (§7.3, as coturn does).
 */
final class Reply {

    private final StunMessage request;
    private final ClientLink link;
    private final String software;
    private final AllocationLog log;
    private final ServerCounters counters;
    private final long received = System.nanoTime();
    private AuthResult.Accepted auth;
    private String allocation;

    Reply(StunMessage request, ClientLink link, String software, AllocationLog log, ServerCounters counters) {
        this.request = request;
        this.link = link;
        this.software = software;
        this.log = log;
        this.counters = counters;
    }

    /** When the request arrived, from {@link System#nanoTime}. */
    long received() {
        return received;
    }

    StunMessage request() {
        return request;
    }

    ClientLink link() {
        return link;
    }

    /** Protects every later response with the credentials of {@code accepted}. */
    void authenticated(AuthResult.Accepted accepted) {
        this.auth = accepted;
    }

    /** Names {@code allocation} on the log lines of this request's refusals. */
    void concerns(Allocation allocation) {
        this.allocation = allocation.id();
    }

    AuthResult.Accepted auth() {
        return auth;
    }

    /** Sends a success response with {@code attributes}; returns the message sent. */
    StunMessage success(StunAttribute... attributes) {
        return send(StunMessage.successResponse(request).add(attributes), true);
    }

    /**
     * Sends an error response with {@code error} and {@code attributes}; once authenticated, the refusal
     * is logged with the user (credential failures are logged by the caller, with their reason).
     */
    StunMessage error(ErrorCode error, List<? extends StunAttribute> attributes) {
        counters.errorResponse(request.method(), error.code(), request.hasIntegrity());
        if (auth != null) {
            log.refused(request.method().toString(), auth.username(), link.fiveTuple(), allocation, error.code(),
                    error.reason());
        }
        return send(StunMessage.errorResponse(request, error).addAll(attributes), false);
    }

    /**
     * Sends 403 Forbidden for the peer the client {@code named}, reached at {@code target}, which the policy
     * refused by {@code rule} (RFC 8656 §9.2): the reason phrase stays "Forbidden", the log line names the
     * peer and the rule.
     */
    StunMessage forbidden(InetSocketAddress named, InetSocketAddress target, PeerRule rule) {
        counters.errorResponse(request.method(), ErrorCode.FORBIDDEN.code(), request.hasIntegrity());
        log.forbidden(request.method().toString(), auth == null ? null : auth.username(), link.fiveTuple(), allocation,
                named, target, rule);
        return send(StunMessage.errorResponse(request, ErrorCode.FORBIDDEN), false);
    }

    /** Sends an error response with {@code error} only. */
    StunMessage error(ErrorCode error) {
        return error(error, List.of());
    }

    /** Sends 420 Unknown Attribute listing the codes (RFC 8489 §6.3.1.1). */
    StunMessage unknownAttributes(List<Integer> codes) {
        return error(ErrorCode.UNKNOWN_ATTRIBUTE, List.of(new UnknownAttributes(codes)));
    }

    /** Sends a previously built response again, for a retransmitted request (RFC 8656 §7.2). */
    void resend(StunMessage response) {
        link.write(StunMessageCodec.encode(response, link.alloc()));
    }

    private StunMessage send(StunMessage.Builder builder, boolean success) {
        if (!software.isEmpty() && (success || auth != null)) {
            builder.add(new Software(software));
        }
        if (auth != null) {
            if (auth.sha256Integrity()) {
                builder.integritySha256(auth.key());
            } else {
                builder.integrity(auth.key());
            }
        }
        if (request.hasFingerprint()) {
            builder.fingerprint();
        }
        StunMessage response = builder.build();
        link.write(StunMessageCodec.encode(response, link.alloc()));
        return response;
    }
}
