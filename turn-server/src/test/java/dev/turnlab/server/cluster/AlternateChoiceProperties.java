package dev.turnlab.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The redirect choice over a registry: never self, never a node that cannot take one, always the least loaded. */
class AlternateChoiceProperties {

    private static final long NOW = 1_800_000_000_000L;

    @Property
    void theChoiceIsAnotherLiveNodeThatTakesAllocationsOfTheLeastLoadedClass(
            @ForAll("registries") List<NodeLoad> nodes, @ForAll @IntRange(max = 9) int selfIndex,
            @ForAll @IntRange(min = -1000, max = 1000) int turn) {
        String self = "node-" + selfIndex;
        NodeLoad chosen = AlternateChoice.choose(nodes, self, NOW, turn);
        List<NodeLoad> eligible = nodes.stream().filter(n -> !n.name().equals(self) && n.liveAt(NOW) && !n.draining()
                && !n.full()).toList();
        if (eligible.isEmpty()) {
            assertThat(chosen).isNull();
            return;
        }
        assertThat(chosen).isNotNull();
        assertThat(chosen.name()).isNotEqualTo(self);
        assertThat(chosen.liveAt(NOW)).isTrue();
        assertThat(chosen.draining()).isFalse();
        assertThat(chosen.full()).isFalse();
        int least = eligible.stream().mapToInt(NodeLoad::loadPercent).min().orElseThrow();
        assertThat(chosen.loadPercent()).isEqualTo(least);
        assertThat(AlternateChoice.choose(nodes, self, NOW, turn)).as("deterministic").isSameAs(chosen);
    }

    @Property
    void aBurstIsSpreadOverEveryNodeOfTheLeastLoadedClass(@ForAll("registries") List<NodeLoad> nodes,
            @ForAll @IntRange(min = 0, max = 1000) int firstTurn) {
        List<NodeLoad> eligible = nodes.stream().filter(n -> n.liveAt(NOW) && !n.draining() && !n.full()).toList();
        int least = eligible.stream().mapToInt(NodeLoad::loadPercent).min().orElse(-1);
        Set<NodeLoad> leastClass = new HashSet<>(eligible.stream().filter(n -> n.loadPercent() == least).toList());
        Set<NodeLoad> chosen = new HashSet<>();
        for (int turn = firstTurn; turn < firstTurn + leastClass.size(); turn++) {
            chosen.add(AlternateChoice.choose(nodes, "none", NOW, turn));
        }
        assertThat(chosen).isEqualTo(leastClass);
        if (leastClass.isEmpty()) {
            assertThat(AlternateChoice.choose(nodes, "none", NOW, firstTurn)).isNull();
        }
    }

    @Example
    void aFullNodeSendsToTheEmptiestOfTheOthersNotToAFullExpiredOrDrainingOne() {
        List<NodeLoad> nodes = List.of(
                node("a", 0, 100, 100, 0, false, NOW + 1),       // self, full by its total quota
                node("b", 90, 100, 10, 0, false, NOW + 1),       // 10 % used
                node("c", 99, 100, 1, 0, false, NOW + 1),        // 1 %: the emptiest
                node("d", 100, 100, 0, 0, false, NOW),           // empty, but its announcement expired
                node("e", 100, 100, 0, 0, true, NOW + 1),        // empty, but draining
                node("f", 100, 100, 5, 5, false, NOW + 1));      // its total quota reached
        assertThat(AlternateChoice.choose(nodes, "a", NOW, 0).name()).isEqualTo("c");
        assertThat(AlternateChoice.choose(nodes, "c", NOW, 0).name()).isEqualTo("b");
        assertThat(AlternateChoice.choose(List.of(nodes.get(0), nodes.get(3)), "a", NOW, 0)).isNull();
    }

    @Provide
    Arbitrary<List<NodeLoad>> registries() {
        Arbitrary<NodeLoad> node = Combinators.combine(Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(1, 200), Arbitraries.integers().between(0, 200),
                Arbitraries.integers().between(0, 50), Arbitraries.of(true, false, false, false),
                Arbitraries.longs().between(NOW - 5, NOW + 5)).as((i, ports, free, quota, draining, expires) -> {
                    int freePorts = Math.min(free, ports);
                    return node("node-" + i, freePorts, ports, ports - freePorts, quota, draining, expires);
                });
        // Names are unique in a registry, and a heartbeat's copy is sorted by name.
        return node.list().ofMaxSize(10).map(list -> {
            List<NodeLoad> unique = new ArrayList<>();
            Set<String> names = new HashSet<>();
            list.stream().sorted(java.util.Comparator.comparing(NodeLoad::name)).forEach(n -> {
                if (names.add(n.name())) {
                    unique.add(n);
                }
            });
            return unique;
        });
    }

    private static NodeLoad node(String name, int freePorts, int ports, int allocations, int quota, boolean draining,
            long expires) {
        return new NodeLoad(name, new InetSocketAddress("192.0.2." + (name.hashCode() & 0x7f), 3478), freePorts, ports,
                allocations, quota, draining, expires);
    }
}
