package dev.turnlab.server.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generation of a 5-tuple (RFC 8656 §21) cannot be bumped from a 5-tuple chosen to collide with it. */
class GenerationSlotTest {

    private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.2", 3478);

    private static Allocation allocation(FiveTuple tuple) {
        return new Allocation(tuple, "mallory", null, List.of(new Relay(null, new InetSocketAddress("192.0.2.2", 24000))),
                Lifetimes.RFC_8656, Duration.ofSeconds(600), 0, 16);
    }

    @Test
    void deallocatingATupleWhoseHashCodeCollidesLeavesTheVictimsGenerationAlone() {
        int bumped = 0;
        for (int i = 1; i <= 16; i++) {
            // InetSocketAddress.hashCode is the IPv4 address as an int plus the port: the next address with
            // the port one lower collides, so a user on a nearby address can choose such a 5-tuple.
            FiveTuple victim = new FiveTuple(Transport.UDP, new InetSocketAddress("198.51.100." + i, 40_000), SERVER);
            FiveTuple attacker = new FiveTuple(Transport.UDP, new InetSocketAddress("198.51.100." + (i + 1), 39_999), SERVER);
            assertThat(attacker.hashCode()).isEqualTo(victim.hashCode());
            AllocationTable table = new AllocationTable(0, 0);
            int before = table.generation(victim);

            Allocation a = allocation(attacker);
            assertThat(table.admit("mallory")).isEqualTo(AllocationTable.Admission.ADMITTED);
            table.add(a);
            assertThat(table.remove(a)).isTrue();

            assertThat(table.generation(attacker)).isEqualTo(before + 1);
            bumped += table.generation(victim) == before ? 0 : 1;
        }
        // With a keyed hash over 16384 slots each pair shares a slot with probability 2^-14; two of 16 would
        // happen about once in 2 million runs. Keyed by hashCode, all 16 shared.
        assertThat(bumped).isLessThanOrEqualTo(1);
    }

    @Test
    void aPortOneOrMoreBlocksAwayOnTheSameAddressIsNoBetterAimed() {
        // Behind one address (a shared host), the slots of a port block are known relative to each other, so
        // the port 16384 away from a victim's must not land on its slot, as it would with (hash + port).
        int shared = 0;
        for (int i = 0; i < 16; i++) {
            AllocationTable table = new AllocationTable(0, 0);
            FiveTuple victim = new FiveTuple(Transport.UDP, new InetSocketAddress("198.51.100.1", 40_000 + i), SERVER);
            FiveTuple attacker = new FiveTuple(Transport.UDP, new InetSocketAddress("198.51.100.1", 40_000 + i - 16_384), SERVER);
            shared += table.slot(victim) == table.slot(attacker) ? 1 : 0;
        }
        assertThat(shared).isLessThanOrEqualTo(1);
    }

    @Test
    void thePortsOfOneBlockOfOneAddressNeverShareASlot() {
        // Thousands of allocations of one host released at once must not meet birthday collisions.
        AllocationTable table = new AllocationTable(0, 0);
        Set<Integer> slots = new HashSet<>();
        for (int port = 32_768; port < 49_152; port++) {
            slots.add(table.slot(new FiveTuple(Transport.UDP, new InetSocketAddress("127.0.0.1", port), SERVER)));
        }
        assertThat(slots).hasSize(16_384);
    }

    @Test
    void theSlotDependsOnTransportAddressesAndPorts() {
        AllocationTable table = new AllocationTable(0, 0);
        FiveTuple t = new FiveTuple(Transport.UDP, new InetSocketAddress("198.51.100.1", 40_000), SERVER);
        List<FiveTuple> others = List.of(
                new FiveTuple(Transport.TCP, t.client(), SERVER),
                new FiveTuple(Transport.UDP, new InetSocketAddress("198.51.100.2", 40_000), SERVER),
                new FiveTuple(Transport.UDP, new InetSocketAddress("198.51.100.1", 40_000 + 16_384), SERVER),
                new FiveTuple(Transport.UDP, t.client(), new InetSocketAddress("192.0.2.3", 3478)),
                new FiveTuple(Transport.UDP, new InetSocketAddress("2001:db8::1", 40_000), SERVER));
        long same = others.stream().filter(o -> table.slot(o) == table.slot(t)).count();

        assertThat(table.slot(t)).isEqualTo(table.slot(new FiveTuple(Transport.UDP,
                new InetSocketAddress("198.51.100.1", 40_000), new InetSocketAddress("192.0.2.2", 3478))));
        assertThat(same).isLessThanOrEqualTo(1);
    }
}
