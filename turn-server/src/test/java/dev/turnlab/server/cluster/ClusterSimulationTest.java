package dev.turnlab.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.ClusterConfig;
import dev.turnlab.testing.tools.SharedRedis;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster of 100 nodes and 100,000 allocations against a real redis-server: nodes simulated as heartbeat
 * writers (this node's own scripts, on their 2 s interval), allocations as user-quota admissions spread over
 * the nodes. Measures the load the heartbeats put on Redis (keys, commands per second) and the redirect
 * choice over the registry they read back (correct, and how long one takes), and prints the figures.
 */
class ClusterSimulationTest {

    private static final int NODES = 100;
    private static final int ALLOCATIONS = 100_000;
    private static final int USERS = 20_000;
    private static final int USER_QUOTA = 4;
    private static final int PORTS = 10_000;
    private static final Duration INTERVAL = ClusterConfig.DEFAULT_HEARTBEAT_INTERVAL;
    private static final int ROUNDS = 5;

    @RegisterExtension
    static final SharedRedis REDIS = SharedRedis.keptBetweenTests();
    @Test
    void aHundredNodesAndAHundredThousandAllocations() throws Exception {
        // A generous command timeout: the simulation pipelines thousands of scripts on one connection.
        ClusterConfig config = new ClusterConfig(java.net.URI.create(REDIS.server().uri()), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ZERO, INTERVAL, ClusterConfig.DEFAULT_NODE_TTL, null);
        // Heartbeats on a connection of their own, as each node has its own; the admissions of all nodes on another.
        try (RedisLink link = RedisLink.start(config, REDIS.scheduler());
                RedisLink beats = RedisLink.start(config, REDIS.scheduler())) {
            awaitUp(link);
            awaitUp(beats);
            List<NodeRegistry> registries = new ArrayList<>();
            List<ClusterQuota> quotas = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                registries.add(new NodeRegistry(beats, config.nodeTtl(), "instance" + i));
                ClusterQuota q = new ClusterQuota(link, "sim", USER_QUOTA, "instance" + i);
                q.joined(name(i));
                quotas.add(q);
            }
            AtomicIntegerArray allocations = new AtomicIntegerArray(NODES);
            heartbeatRound(registries, allocations);
            // The nodes go on announcing themselves while their users allocate, as real ones do: a node silent
            // for its time to live would be dead, and its users' counts would stop counting.
            java.util.concurrent.ScheduledFuture<?> beating = REDIS.scheduler().scheduleAtFixedRate(() -> {
                try {
                    heartbeatRound(registries, allocations);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);

            // 100,000 admissions, 5 per user on average over random nodes, at most 500 in flight.
            Random random = new Random(16);
            Map<Integer, int[]> local = new HashMap<>(); // user -> allocations per node
            int[] admittedPerUser = new int[USERS];
            int[] attemptsPerUser = new int[USERS];
            long admitStart = System.nanoTime();
            List<CompletableFuture<ClusterQuota.Verdict>> batch = new ArrayList<>();
            List<int[]> asked = new ArrayList<>();
            int refused = 0;
            for (int a = 0; a < ALLOCATIONS; a++) {
                int user = random.nextInt(USERS);
                int node = random.nextInt(NODES);
                int[] perNode = local.computeIfAbsent(user, u -> new int[NODES]);
                perNode[node]++;
                attemptsPerUser[user]++;
                int count = perNode[node];
                batch.add(quotas.get(node).admit("user" + user, () -> count));
                asked.add(new int[] {user, node});
                if (batch.size() == 500 || a == ALLOCATIONS - 1) {
                    assertThat(Duration.ofNanos(System.nanoTime() - admitStart)).as("bounded").isLessThan(Duration.ofMinutes(5));
                    CompletableFuture.allOf(batch.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
                    for (int i = 0; i < batch.size(); i++) {
                        int[] un = asked.get(i);
                        ClusterQuota.Verdict v = batch.get(i).join();
                        assertThat(v).isNotEqualTo(ClusterQuota.Verdict.UNCHECKED);
                        if (v == ClusterQuota.Verdict.ADMITTED) {
                            admittedPerUser[un[0]]++;
                            allocations.incrementAndGet(un[1]);
                        } else {
                            refused++;
                            local.get(un[0])[un[1]]--; // the allocation was not made: the node's count goes back
                        }
                    }
                    batch.clear();
                    asked.clear();
                }
            }
            double admitSeconds = (System.nanoTime() - admitStart) / 1e9;
            beating.cancel(false);
            assertThat(beating.isDone()).isTrue();
            for (int u = 0; u < USERS; u++) {
                assertThat(admittedPerUser[u]).as("user" + u).isEqualTo(Math.min(attemptsPerUser[u], USER_QUOTA));
            }

            // The heartbeats alone: ROUNDS intervals of 100 nodes, Redis's counters read before and after.
            Map<String, Long> before = stats();
            long heartbeatStart = System.nanoTime();
            List<Long> roundTrips = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                long next = System.nanoTime() + INTERVAL.toNanos();
                roundTrips.addAll(heartbeatRound(registries, allocations));
                long wait = next - System.nanoTime();
                if (wait > 0 && round < ROUNDS - 1) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            double heartbeatSeconds = (System.nanoTime() - heartbeatStart) / 1e9;
            Map<String, Long> after = stats();

            // The redirect choice over what a heartbeat read back: every node full of its share but one class.
            NodeRegistry self = registries.get(0);
            self.heartbeat(new NodeLoad(self.name(), new InetSocketAddress("10.0.0.1", 3478), PORTS, PORTS, 0, 0, false, 0))
                    .get(30, TimeUnit.SECONDS);
            assertThat(self.alternate()).isNotNull();
            List<NodeLoad> nodes = self.nodes();
            assertThat(nodes).hasSize(NODES);
            long now = nodes.stream().mapToLong(NodeLoad::expires).min().orElseThrow() - 1; // all of them live
            int choices = 1_000_000;
            long choiceStart = System.nanoTime();
            long checksum = 0;
            for (int turn = 0; turn < choices; turn++) {
                checksum += AlternateChoice.choose(nodes, self.name(), now, turn).freePorts();
            }
            double nanosPerChoice = (double) (System.nanoTime() - choiceStart) / choices;
            int least = nodes.stream().filter(n -> !n.name().equals(self.name())).mapToInt(NodeLoad::loadPercent).min()
                    .orElseThrow();
            long leastClass = nodes.stream().filter(n -> !n.name().equals(self.name()) && n.loadPercent() == least).count();
            for (int turn = 0; turn < 10_000; turn++) {
                NodeLoad chosen = AlternateChoice.choose(nodes, self.name(), now, turn);
                assertThat(chosen.name()).isNotEqualTo(self.name());
                assertThat(chosen.loadPercent()).isEqualTo(least);
            }

            long[] sorted = roundTrips.stream().mapToLong(Long::longValue).sorted().toArray();
            long calls = after.get("scripts") - before.get("scripts");
            long commands = after.get("total_commands_processed") - before.get("total_commands_processed");
            long micros = after.get("scriptMicros") - before.get("scriptMicros");
            String keyspace = REDIS.server().cli("INFO", "keyspace").lines().filter(l -> l.startsWith("db0")).findFirst().orElse("");
            System.out.printf("%nCluster simulation: %d nodes, %d allocations (%d users, user quota %d) on redis-server %s%n",
                    NODES, ALLOCATIONS, USERS, USER_QUOTA, REDIS.server().cli("INFO", "server").lines()
                            .filter(l -> l.startsWith("redis_version:")).findFirst().orElse("?").substring(14));
            System.out.printf("  admissions: %.1f s, %.0f per second, %d admitted, %d refused (486)%n", admitSeconds,
                    ALLOCATIONS / admitSeconds, ALLOCATIONS - refused, refused);
            System.out.printf("  keys: %s (%d node hashes + index + user hashes), used_memory %s%n", keyspace, NODES,
                    REDIS.server().cli("INFO", "memory").lines().filter(l -> l.startsWith("used_memory_human:")).findFirst()
                            .orElse("?").substring(18));
            System.out.printf("  heartbeats: %d rounds of %d in %.1f s: %.1f calls/s (EVALSHA), %.0f commands/s in all"
                    + " (those the scripts run included), round trip p50 %.2f ms p99 %.2f ms max %.2f ms%n", ROUNDS,
                    NODES, heartbeatSeconds, calls / heartbeatSeconds, commands / heartbeatSeconds,
                    sorted[sorted.length / 2] / 1e6,
                    sorted[sorted.length * 99 / 100] / 1e6, sorted[sorted.length - 1] / 1e6);
            System.out.printf("  Redis's own time per heartbeat script: %.0f µs, %.1f %% of one core at this rate%n",
                    (double) micros / calls, micros / 1e4 / heartbeatSeconds);
            System.out.printf("  redirect choice over %d nodes: %.0f ns each (%d choices), least loaded class %d node(s)"
                    + " at %d %%, checksum %d%n", nodes.size(), nanosPerChoice, choices, leastClass, least, checksum);
            assertThat(calls).as("one script call per heartbeat").isEqualTo((long) ROUNDS * NODES);
        }
    }

    /** One heartbeat of every node, all sent at once; returns each one's round trip in nanoseconds. */
    private static List<Long> heartbeatRound(List<NodeRegistry> registries, AtomicIntegerArray allocations)
            throws Exception {
        List<CompletableFuture<Long>> beats = new ArrayList<>();
        for (int i = 0; i < registries.size(); i++) {
            int used = allocations.get(i);
            NodeLoad self = new NodeLoad(name(i), new InetSocketAddress("10.0." + i / 250 + "." + (i % 250 + 1), 3478),
                    PORTS - used, PORTS, used, 0, i % 10 == 9, 0);
            long sent = System.nanoTime();
            beats.add(registries.get(i).heartbeat(self).thenApply(known -> System.nanoTime() - sent));
        }
        CompletableFuture.allOf(beats.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
        return beats.stream().map(CompletableFuture::join).toList();
    }

    /** Redis's total_commands_processed (commands run by scripts included) and its EVAL and EVALSHA calls. */
    private static Map<String, Long> stats() throws Exception {
        Map<String, Long> s = new HashMap<>();
        String stats = REDIS.server().cli("INFO", "stats");
        s.put("total_commands_processed", stats.lines().filter(l -> l.startsWith("total_commands_processed:"))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim())).sum());
        s.put("scripts", REDIS.server().cli("INFO", "commandstats").lines()
                .filter(l -> l.startsWith("cmdstat_eval:") || l.startsWith("cmdstat_evalsha:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"))).sum());
        s.put("scriptMicros", REDIS.server().cli("INFO", "commandstats").lines()
                .filter(l -> l.startsWith("cmdstat_eval:") || l.startsWith("cmdstat_evalsha:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("^[^:]*:calls=\\d+,usec=(\\d+),.*", "$1"))).sum());
        return s;
    }

    private static String name(int i) {
        return String.format("node-%03d", i);
    }

    private static void awaitUp(RedisLink link) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!link.isUp() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(link.isUp()).isTrue();
    }
}
