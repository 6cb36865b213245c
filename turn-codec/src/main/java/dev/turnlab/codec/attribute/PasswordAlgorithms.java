package dev.turnlab.codec.attribute;

import java.util.List;

/**
 * PASSWORD-ALGORITHMS (RFC 8489 §14.11): the password algorithms a server supports, in its order
 * of preference. The client echoes the list unchanged so the server can detect a downgrade (§9.2.4).
 */
public record PasswordAlgorithms(List<PasswordAlgorithm> algorithms) implements StunAttribute {

    /** Keeps an unmodifiable copy of the list. */
    public PasswordAlgorithms {
        algorithms = List.copyOf(algorithms);
    }

    /** The list of the given algorithms, in order. */
    public static PasswordAlgorithms of(PasswordAlgorithm... algorithms) {
        return new PasswordAlgorithms(List.of(algorithms));
    }

    @Override
    public AttributeType type() {
        return AttributeType.PASSWORD_ALGORITHMS;
    }
}
