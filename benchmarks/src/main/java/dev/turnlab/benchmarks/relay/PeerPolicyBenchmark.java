package dev.turnlab.benchmarks.relay;

import dev.turnlab.server.relay.PeerPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
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
 * Judging the peer of a Send indication ({@link PeerPolicy#rule}), as the server does for each one, with the
 * default deployment: listeners and relays bound to the wildcard, relays on 24000-29999.
 * <ul>
 *   <li>{@code peerOnRelayRangePort}: a public peer whose port is in the relay range (browsers pick their
 *       ports there too), so the policy must find out whether the address is one of this host's.</li>
 *   <li>{@code peerOnOtherPort}: the same peer on a port outside it, decided by the prefix rules alone.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PeerPolicyBenchmark {

    private static final InetSocketAddress IN_RELAY_RANGE = new InetSocketAddress("93.184.216.34", 24680);
    private static final InetSocketAddress OUTSIDE_RANGE = new InetSocketAddress("93.184.216.34", 51000);

    private PeerPolicy policy;

    @Setup
    public void setUp() throws Exception {
        InetAddress wildcard = InetAddress.getByName("0.0.0.0");
        policy = new PeerPolicy(false, List.of(), List.of(), Set.of(new InetSocketAddress(wildcard, 3478)));
        policy.relaySockets(Set.of(wildcard), 24000, 29999);
    }

    /** A peer on a relay-range port; returns whether it is permitted. */
    @Benchmark
    public boolean peerOnRelayRangePort() {
        return policy.rule(IN_RELAY_RANGE).verdict().permitted();
    }

    /** A peer on a port outside the relay range; returns whether it is permitted. */
    @Benchmark
    public boolean peerOnOtherPort() {
        return policy.rule(OUTSIDE_RANGE).verdict().permitted();
    }
}
