package dev.turnlab.server.fault;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.server.auth.AuthResult;
import dev.turnlab.server.auth.Authenticator;
import java.net.InetSocketAddress;

/**
 * What {@code answer=CODE} and {@code stale-nonce} make of a request, placed where a real server would
 * produce those errors: credential errors (401, 431, 438) come from the credential check, unsigned and with
 * a fresh challenge; every other code refuses an authenticated Allocate, signed with the client's key.
 */
public final class RequestFaults {

    private RequestFaults() {
    }

    /**
     * The error {@code answer} gives {@code request} before its credentials are checked, or null: 401 to
     * every Allocate (the server does not know the user); 431 and 438 to an Allocate with
     * MESSAGE-INTEGRITY (the first, unsigned one still gets the usual 401 challenge). Sent with
     * {@link Authenticator#challengeAttributes}.
     */
    public static ErrorCode beforeAuthentication(Faults now, StunMessage request) {
        ErrorCode answer = now.answer();
        if (answer == null || !request.method().equals(Method.ALLOCATE)) {
            return null;
        }
        int code = answer.code();
        return code == 401 || (code == 431 || code == 438) && request.hasIntegrity() ? answer : null;
    }

    /** The error {@code answer} gives an authenticated Allocate, or null. */
    public static ErrorCode afterAuthentication(Faults now, StunMessage request) {
        ErrorCode answer = now.answer();
        if (answer == null || !request.method().equals(Method.ALLOCATE)) {
            return null;
        }
        int code = answer.code();
        return code == 401 || code == 431 || code == 438 ? null : answer;
    }

    /**
     * Under {@code stale-nonce}, an accepted request becomes 438 Stale Nonce with REALM and a fresh NONCE
     * (RFC 8489 §9.2.4 bullet 6), as from a server whose clock makes every nonce old; otherwise {@code result}.
     */
    public static AuthResult staleNonce(Faults now, AuthResult result, Authenticator authenticator,
            InetSocketAddress client, int generation) {
        if (!now.staleNonce() || !(result instanceof AuthResult.Accepted accepted)) {
            return result;
        }
        return new AuthResult.Rejected(ErrorCode.STALE_NONCE, authenticator.challengeAttributes(client, generation),
                // Counted as any stale nonce: the fault imitates a node whose clock makes every nonce old.
                AuthResult.Failure.STALE_NONCE, accepted.username());
    }
}
