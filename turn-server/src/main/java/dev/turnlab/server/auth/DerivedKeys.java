package dev.turnlab.server.auth;

import dev.turnlab.codec.attribute.PasswordAlgorithm;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Long-term keys (RFC 8489 §9.2.2) derived once per user name, realm, password and algorithm rather than
 * once per request: an allocation's Allocate, ChannelBind, CreatePermission and Refreshes all need the
 * same key, and its derivation (SASLprep or OpaqueString, then a digest) costs more than the check of the
 * MAC. The password is part of what a key is found by, so a changed password is never answered with the
 * old key. Bounded: past {@link #CAPACITY} entries the keys are dropped and derived again as needed, so
 * names made up by clients cost memory only up to that bound. Keys are handed out as copies.
 */
final class DerivedKeys {

    /** How many keys are kept at most. */
    static final int CAPACITY = 4096;

    /** What a key is derived from; {@code algorithm} -1 stands for the RFC 5389 key (no PASSWORD-ALGORITHM). */
    private record Input(String username, String realm, String password, int algorithm) {
    }

    private final Authenticator.KeyDerivation derivation;
    private final Map<Input, byte[]> keys = new ConcurrentHashMap<>();

    /** Keys made by {@code derivation}. */
    DerivedKeys(Authenticator.KeyDerivation derivation) {
        this.derivation = derivation;
    }

    /**
     * The key of {@code username} with {@code password} for {@code algorithm} (null: RFC 5389's), derived the
     * first time it is asked for; null when it cannot be derived (a password the preparation refuses, an
     * algorithm with parameters), which is not kept.
     */
    byte[] key(String username, String realm, String password, PasswordAlgorithm algorithm) {
        if (algorithm != null && algorithm.parameters().length != 0) {
            return derivation.key(username, realm, password, algorithm);
        }
        Input input = new Input(username, realm, password, algorithm == null ? -1 : algorithm.algorithm());
        byte[] key = keys.get(input);
        if (key == null) {
            key = derivation.key(username, realm, password, algorithm);
            if (key == null) {
                return null;
            }
            if (keys.size() >= CAPACITY) {
                keys.clear();
            }
            keys.put(input, key);
        }
        return key.clone();
    }

    /** How many keys are kept now. */
    int size() {
        return keys.size();
    }
}
