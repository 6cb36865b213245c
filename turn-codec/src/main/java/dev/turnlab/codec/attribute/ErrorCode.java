package dev.turnlab.codec.attribute;

import java.util.Objects;

/**
 * ERROR-CODE (RFC 8489 §14.8): a code from 300 to 699 and a reason phrase. The constants are the
 * registered codes with their recommended phrases, so this record is also the error-code registry.
 */
public record ErrorCode(int code, String reason) implements StunAttribute {

    /** 300 Try Alternate (RFC 8489): use the server in ALTERNATE-SERVER. */
    public static final ErrorCode TRY_ALTERNATE = new ErrorCode(300, "Try Alternate");
    /** 400 Bad Request (RFC 8489): the request was malformed. */
    public static final ErrorCode BAD_REQUEST = new ErrorCode(400, "Bad Request");
    /** 401 Unauthorized (RFC 8489 calls it Unauthenticated): credentials missing or wrong. */
    public static final ErrorCode UNAUTHORIZED = new ErrorCode(401, "Unauthorized");
    /** 403 Forbidden (RFC 8656): the request is valid but not allowed, for example a denied peer. */
    public static final ErrorCode FORBIDDEN = new ErrorCode(403, "Forbidden");
    /** 420 Unknown Attribute (RFC 8489): a comprehension-required attribute was not understood. */
    public static final ErrorCode UNKNOWN_ATTRIBUTE = new ErrorCode(420, "Unknown Attribute");
    /** 430 Stale Credentials (RFC 3489). */
    public static final ErrorCode STALE_CREDENTIALS = new ErrorCode(430, "Stale Credentials");
    /** 431 Integrity Check Failure (RFC 3489): what a Cisco Expressway-E answers to bad credentials. */
    public static final ErrorCode INTEGRITY_CHECK_FAILURE = new ErrorCode(431, "Integrity Check Failure");
    /** 432 Missing Username (RFC 3489). */
    public static final ErrorCode MISSING_USERNAME = new ErrorCode(432, "Missing Username");
    /** 433 Use TLS (RFC 3489). */
    public static final ErrorCode USE_TLS = new ErrorCode(433, "Use TLS");
    /** 437 Allocation Mismatch (RFC 8656). */
    public static final ErrorCode ALLOCATION_MISMATCH = new ErrorCode(437, "Allocation Mismatch");
    /** 438 Stale Nonce (RFC 8489): retry with the new NONCE. */
    public static final ErrorCode STALE_NONCE = new ErrorCode(438, "Stale Nonce");
    /** 440 Address Family not Supported (RFC 8656). */
    public static final ErrorCode ADDRESS_FAMILY_NOT_SUPPORTED = new ErrorCode(440, "Address Family not Supported");
    /** 441 Wrong Credentials (RFC 8656): not the credentials that created the allocation. */
    public static final ErrorCode WRONG_CREDENTIALS = new ErrorCode(441, "Wrong Credentials");
    /** 442 Unsupported Transport Protocol (RFC 8656). */
    public static final ErrorCode UNSUPPORTED_TRANSPORT_PROTOCOL = new ErrorCode(442, "Unsupported Transport Protocol");
    /** 443 Peer Address Family Mismatch (RFC 8656). */
    public static final ErrorCode PEER_ADDRESS_FAMILY_MISMATCH = new ErrorCode(443, "Peer Address Family Mismatch");
    /** 446 Connection Already Exists (RFC 6062). */
    public static final ErrorCode CONNECTION_ALREADY_EXISTS = new ErrorCode(446, "Connection Already Exists");
    /** 447 Connection Timeout or Failure (RFC 6062). */
    public static final ErrorCode CONNECTION_TIMEOUT_OR_FAILURE = new ErrorCode(447, "Connection Timeout or Failure");
    /** 486 Allocation Quota Reached (RFC 8656). */
    public static final ErrorCode ALLOCATION_QUOTA_REACHED = new ErrorCode(486, "Allocation Quota Reached");
    /** 487 Role Conflict (RFC 8445). */
    public static final ErrorCode ROLE_CONFLICT = new ErrorCode(487, "Role Conflict");
    /** 500 Server Error (RFC 8489). */
    public static final ErrorCode SERVER_ERROR = new ErrorCode(500, "Server Error");
    /** 508 Insufficient Capacity (RFC 8656). */
    public static final ErrorCode INSUFFICIENT_CAPACITY = new ErrorCode(508, "Insufficient Capacity");
    /** 600 Global Failure (RFC 3489). */
    public static final ErrorCode GLOBAL_FAILURE = new ErrorCode(600, "Global Failure");

    private static final ErrorCode[] KNOWN = {
        TRY_ALTERNATE, BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, UNKNOWN_ATTRIBUTE, STALE_CREDENTIALS,
        INTEGRITY_CHECK_FAILURE, MISSING_USERNAME, USE_TLS, ALLOCATION_MISMATCH, STALE_NONCE,
        ADDRESS_FAMILY_NOT_SUPPORTED, WRONG_CREDENTIALS, UNSUPPORTED_TRANSPORT_PROTOCOL,
        PEER_ADDRESS_FAMILY_MISMATCH, CONNECTION_ALREADY_EXISTS, CONNECTION_TIMEOUT_OR_FAILURE,
        ALLOCATION_QUOTA_REACHED, ROLE_CONFLICT, SERVER_ERROR, INSUFFICIENT_CAPACITY, GLOBAL_FAILURE,
    };

    /** Checks the code's range (300-699, RFC 8489 §14.8) and that a reason is present. */
    public ErrorCode {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("error code: " + code + " (expected: 300-699)");
        }
        Objects.requireNonNull(reason, "reason");
    }

    /** The registered error with this code, or one with a generic phrase for an unregistered code. */
    public static ErrorCode valueOf(int code) {
        for (ErrorCode e : KNOWN) {
            if (e.code == code) {
                return e;
            }
        }
        return new ErrorCode(code, "Error " + code);
    }

    /** The same code with another reason phrase. */
    public ErrorCode withReason(String newReason) {
        return new ErrorCode(code, newReason);
    }

    @Override
    public AttributeType type() {
        return AttributeType.ERROR_CODE;
    }

    @Override
    public String toString() {
        return code + " " + reason;
    }
}
