package dev.turnlab.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.attribute.PasswordAlgorithm;
import dev.turnlab.codec.auth.LongTermCredentials;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A key is derived once per user, realm, password and algorithm, is the key the codec derives, and memory stays bounded. */
class DerivedKeysTest {

    private final List<String> derived = new ArrayList<>();
    private final DerivedKeys keys = new DerivedKeys((user, realm, password, algorithm) -> {
        derived.add(user + ":" + password + ":" + algorithm);
        try {
            return algorithm == null ? LongTermCredentials.key(user, realm, password)
                    : LongTermCredentials.key(user, realm, password, algorithm);
        } catch (IllegalArgumentException e) {
            return null;
        }
    });

    @Test
    void theSecondRequestOfAUserFindsTheKeyTheFirstDerived() {
        byte[] first = keys.key("alice", "example.org", "secret", null);
        byte[] second = keys.key("alice", "example.org", "secret", null);

        assertThat(first).isEqualTo(second).isEqualTo(LongTermCredentials.key("alice", "example.org", "secret"));
        assertThat(derived).hasSize(1);
    }

    @Test
    void aChangedPasswordAnotherRealmOrAlgorithmIsAnotherKey() {
        keys.key("alice", "example.org", "secret", null);
        byte[] changed = keys.key("alice", "example.org", "changed", null);
        keys.key("alice", "example.net", "secret", null);
        byte[] rfc8489 = keys.key("alice", "example.org", "secret", PasswordAlgorithm.MD5);
        byte[] sha256 = keys.key("alice", "example.org", "secret", PasswordAlgorithm.SHA256);

        assertThat(changed).isEqualTo(LongTermCredentials.key("alice", "example.org", "changed"));
        assertThat(rfc8489).isEqualTo(LongTermCredentials.key("alice", "example.org", "secret", PasswordAlgorithm.MD5));
        assertThat(sha256).hasSize(32);
        assertThat(derived).hasSize(5);
    }

    @Test
    void aCallerChangingItsKeyDoesNotChangeTheKept() {
        keys.key("alice", "example.org", "secret", null)[0] ^= 1;

        assertThat(keys.key("alice", "example.org", "secret", null))
                .isEqualTo(LongTermCredentials.key("alice", "example.org", "secret"));
    }

    @Test
    void aKeyThatCannotBeDerivedIsNotKept() {
        PasswordAlgorithm withParameters = new PasswordAlgorithm(0x0001, new byte[] {1});

        assertThat(keys.key("alice", "example.org", "bad\u0007password", PasswordAlgorithm.MD5)).isNull();
        assertThat(keys.key("alice", "example.org", "secret", withParameters)).isNull();
        assertThat(keys.size()).isZero();
    }

    @Test
    void madeUpNamesCostMemoryOnlyUpToTheBound() {
        for (int i = 0; i < DerivedKeys.CAPACITY * 3; i++) {
            keys.key("user" + i, "example.org", "secret", null);
        }

        assertThat(keys.size()).isLessThanOrEqualTo(DerivedKeys.CAPACITY);
        assertThat(keys.key("user0", "example.org", "secret", null))
                .isEqualTo(LongTermCredentials.key("user0", "example.org", "secret"));
    }
}
