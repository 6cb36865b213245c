package dev.turnlab.benchmarks.auth;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.auth.LongTermCredentials;
import dev.turnlab.server.auth.AuthResult;
import dev.turnlab.server.auth.Authenticator;
import dev.turnlab.server.LoginLimits;
import dev.turnlab.server.auth.Nonces;
import dev.turnlab.server.auth.StaticCredentials;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A refused login, by an unknown user and by a known user with a wrong password: the two should cost the
 * same, so that the answer time does not tell which users exist (login limits off, fresh nonce, MD5 key).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LoginBenchmark {

    private static final String REALM = "turnlab";
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 40000);

    private Authenticator authenticator;
    private StunMessage unknownUser;
    private StunMessage wrongPassword;

    @Setup
    public void setUp() {
        Clock clock = Clock.systemUTC();
        Nonces nonces = new Nonces(clock, Duration.ofHours(1), Nonces.PASSWORD_ALGORITHMS | Nonces.USERNAME_ANONYMITY);
        authenticator = new Authenticator(REALM, new StaticCredentials(Map.of("alice", "correct-horse-battery")),
                nonces, ErrorCode.UNAUTHORIZED, clock, LoginLimits.parse("off"));
        String nonce = nonces.issue(CLIENT, 0);
        byte[] guess = LongTermCredentials.key("alice", REALM, "battery-staple-guess");
        unknownUser = signed("mallory", nonce, guess);
        wrongPassword = signed("alice", nonce, guess);
    }

    private static StunMessage signed(String user, String nonce, byte[] key) {
        StunMessage m = StunMessage.request(Method.ALLOCATE)
                .add(RequestedTransport.UDP, new Username(user), new Realm(REALM), new Nonce(nonce))
                .integrity(key).build();
        ByteBuf buf = Unpooled.buffer();
        try {
            StunMessageCodec.encode(m, buf);
            return StunMessageCodec.decode(buf);
        } finally {
            buf.release();
        }
    }

    /** USERNAME of no user: 401 after the dummy key derivation and comparison. */
    @Benchmark
    public AuthResult unknownUser() {
        return authenticator.authenticate(unknownUser, CLIENT, 0);
    }

    /** A known user with a wrong password: 401 after the key derivation and comparison. */
    @Benchmark
    public AuthResult wrongPassword() {
        return authenticator.authenticate(wrongPassword, CLIENT, 0);
    }
}
