package dev.turnlab.server.handler;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.AttributeType;
import dev.turnlab.codec.attribute.ChangeRequest;
import dev.turnlab.codec.attribute.RequestedTransport;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The comprehension-required attributes this server implements, per method: anything else below 0x8000
 * gets 420 Unknown Attribute (RFC 8489 §6.3.1.1). DONT-FRAGMENT is deliberately absent: the server
 * cannot promise the DF bit, so RFC 8656 §7.2 rule 4 and §10.2 say to treat it as unknown; only an Allocate
 * for a TCP relay understands it, to refuse it with 400 as RFC 6062 §5.1 says.
 */
final class Understood {

    private static final List<AttributeType> AUTH = List.of(AttributeType.USERNAME, AttributeType.USERHASH,
            AttributeType.MESSAGE_INTEGRITY, AttributeType.MESSAGE_INTEGRITY_SHA256, AttributeType.REALM,
            AttributeType.NONCE, AttributeType.PASSWORD_ALGORITHM);

    static final Set<AttributeType> BINDING = of(AUTH, AttributeType.PRIORITY, AttributeType.USE_CANDIDATE);
    static final Set<AttributeType> ALLOCATE = of(AUTH, AttributeType.REQUESTED_TRANSPORT, AttributeType.LIFETIME,
            AttributeType.EVEN_PORT, AttributeType.RESERVATION_TOKEN, AttributeType.REQUESTED_ADDRESS_FAMILY);
    static final Set<AttributeType> ALLOCATE_TCP = of(List.copyOf(ALLOCATE), AttributeType.DONT_FRAGMENT);
    static final Set<AttributeType> CONNECT = of(AUTH, AttributeType.XOR_PEER_ADDRESS);
    static final Set<AttributeType> CONNECTION_BIND = of(AUTH, AttributeType.CONNECTION_ID);
    static final Set<AttributeType> REFRESH = of(AUTH, AttributeType.LIFETIME, AttributeType.REQUESTED_ADDRESS_FAMILY);
    static final Set<AttributeType> CREATE_PERMISSION = of(AUTH, AttributeType.XOR_PEER_ADDRESS);
    static final Set<AttributeType> CHANNEL_BIND = of(AUTH, AttributeType.CHANNEL_NUMBER, AttributeType.XOR_PEER_ADDRESS);
    static final Set<AttributeType> SEND = of(List.of(), AttributeType.XOR_PEER_ADDRESS, AttributeType.DATA);

    private Understood() {
    }

    private static final Set<AttributeType> BINDING_WITH_NULL_CHANGE_REQUEST = of(List.copyOf(BINDING),
            AttributeType.CHANGE_REQUEST);

    /**
     * The set for a Binding request: a CHANGE-REQUEST that asks for no change, which RFC 3489 clients
     * send out of habit, needs nothing and is accepted; one that asks for a change gets 420, since this
     * server has no second address (RFC 5780 §7.2).
     */
    static Set<AttributeType> binding(StunMessage request) {
        ChangeRequest change = request.get(ChangeRequest.class);
        return change != null && !change.changeIp() && !change.changePort() ? BINDING_WITH_NULL_CHANGE_REQUEST : BINDING;
    }

    /** The set for {@code request}: by its method, and for Allocate by its REQUESTED-TRANSPORT. */
    static Set<AttributeType> forRequest(StunMessage request) {
        RequestedTransport transport = request.get(RequestedTransport.class);
        if (request.method().equals(Method.ALLOCATE) && transport != null
                && transport.protocol() == RequestedTransport.TCP.protocol()) {
            return ALLOCATE_TCP;
        }
        return forMethod(request.method());
    }

    /** The set for a request method. */
    static Set<AttributeType> forMethod(Method method) {
        if (method.equals(Method.BINDING)) {
            return BINDING;
        } else if (method.equals(Method.ALLOCATE)) {
            return ALLOCATE;
        } else if (method.equals(Method.CONNECT)) {
            return CONNECT;
        } else if (method.equals(Method.CONNECTION_BIND)) {
            return CONNECTION_BIND;
        } else if (method.equals(Method.REFRESH)) {
            return REFRESH;
        } else if (method.equals(Method.CREATE_PERMISSION)) {
            return CREATE_PERMISSION;
        }
        return CHANNEL_BIND;
    }

    private static Set<AttributeType> of(List<AttributeType> base, AttributeType... more) {
        Set<AttributeType> set = new HashSet<>(base);
        set.addAll(List.of(more));
        return Set.copyOf(set);
    }
}
