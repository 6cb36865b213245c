package dev.turnlab.codec.attribute;

import java.util.Objects;

/**
 * ADDRESS-ERROR-CODE (RFC 8656 §18.12): why the relayed address of one family could not be
 * allocated when two were asked for: the family and an error code (300-699) with a reason phrase.
 */
public record AddressErrorCode(AddressFamily family, int code, String reason) implements StunAttribute {

    /** Checks the family, the code's range (300-699, as ERROR-CODE) and that a reason is present. */
    public AddressErrorCode {
        Objects.requireNonNull(family, "ADDRESS-ERROR-CODE: family");
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("ADDRESS-ERROR-CODE: code " + code + " (expected: 300-699)");
        }
        Objects.requireNonNull(reason, "ADDRESS-ERROR-CODE: reason");
    }

    /** The error for {@code family} with the code and reason phrase of {@code error}. */
    public static AddressErrorCode of(AddressFamily family, ErrorCode error) {
        return new AddressErrorCode(family, error.code(), error.reason());
    }

    @Override
    public AttributeType type() {
        return AttributeType.ADDRESS_ERROR_CODE;
    }
}
