package dev.turnlab.codec.attribute;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * PASSWORD-ALGORITHM (RFC 8489 §14.12): the algorithm, from the registry of §18.5, with which the
 * client derived its long-term key, and that algorithm's parameters. Also an element of
 * {@link PasswordAlgorithms}. Both registered algorithms take no parameters.
 */
public record PasswordAlgorithm(int algorithm, byte[] parameters) implements StunAttribute {

    /** MD5 (RFC 8489 §18.5.1.1), code 0x0001: a 16-byte key, for legacy systems only. */
    public static final PasswordAlgorithm MD5 = new PasswordAlgorithm(0x0001, new byte[0]);
    /** SHA-256 (RFC 8489 §18.5.1.2), code 0x0002: a 32-byte key. */
    public static final PasswordAlgorithm SHA256 = new PasswordAlgorithm(0x0002, new byte[0]);

    /** Checks that the algorithm and the parameters' length fit their 16-bit fields and copies the parameters. */
    public PasswordAlgorithm {
        if (algorithm < 0 || algorithm > 0xFFFF) {
            throw new IllegalArgumentException("password algorithm: " + algorithm + " (expected: 0-0xFFFF)");
        }
        if (parameters.length > 0xFFFF - 4) {
            throw new IllegalArgumentException(
                    "password algorithm parameters: " + parameters.length + " bytes (expected: at most 65531)");
        }
        parameters = parameters.clone();
    }

    /** The algorithm's parameters, as a copy. */
    @Override
    public byte[] parameters() {
        return parameters.clone();
    }

    /** The parameters without copying, for this package's encoder. */
    byte[] unsafeParameters() {
        return parameters;
    }

    @Override
    public AttributeType type() {
        return AttributeType.PASSWORD_ALGORITHM;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordAlgorithm other && other.algorithm == algorithm
                && Arrays.equals(other.parameters, parameters);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm + Arrays.hashCode(parameters);
    }

    @Override
    public String toString() {
        String name = switch (algorithm) {
            case 0x0001 -> "MD5";
            case 0x0002 -> "SHA-256";
            default -> String.format("0x%04X", algorithm);
        };
        return parameters.length == 0 ? "PasswordAlgorithm[" + name + "]"
                : "PasswordAlgorithm[" + name + ", " + HexFormat.of().formatHex(parameters) + "]";
    }
}
