package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.EvenPort;
import dev.turnlab.codec.attribute.ReservationToken;
import dev.turnlab.server.allocation.Allocation;
import dev.turnlab.server.support.BlockingClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Relay port accounting (RFC 8656 §7.2) over random sequences of Allocates (plain, EVEN-PORT with R, and
 * RESERVATION-TOKEN), ports another socket holds and frees, deletions (Refresh 0) and expiry: the ports in
 * use are always those the live allocations and the RESERVATION-TOKEN holds keep, and once nothing holds a
 * port every port of the range can be allocated again. The real request handlers run on embedded channels;
 * the relay binder fails for the ports another socket holds.
 */
class RelayPortAccountingProperties {

    private static final PortRange RANGE = new PortRange(40000, 40011);
    private static final Duration BACK_OFF = Duration.ofSeconds(10);
    private static final int CLIENTS = 6;

    enum Kind { ALLOCATE, ALLOCATE_EVEN_RESERVE, ALLOCATE_WITH_TOKEN, HOLD_PORT, FREE_PORT, DELETE, ADVANCE }

    /** One step: what happens, to which client, port or token, or how many seconds pass. */
    record Step(Kind kind, int n) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 63))
                .as(Step::new);
        return step.list().ofMaxSize(60);
    }

    @Property(tries = 200)
    void portsInUseAreWhatAllocationsAndReservationsHold(@ForAll("steps") List<Step> steps) {
        EmbeddedServer world = new EmbeddedServer(RANGE, BACK_OFF);
        try (world) {
            for (Step step : steps) {
                run(world, step);
                assertAccounted(world, step);
            }
            // Nothing holds a port any more: every port of the range is allocated again, then 508.
            world.foreign().clear();
            for (int c = 0; c < CLIENTS; c++) {
                world.refresh(c, 0);
            }
            world.advance(Duration.ofMinutes(11));
            assertThat(world.inUse()).as("ports in use with no allocation and no reservation").isZero();
            for (int c = 0; c < RANGE.size(); c++) {
                StunMessage r = world.allocate(CLIENTS + c);
                assertThat(r.stunClass()).as("Allocate %d of %d once every port is free: %s", c + 1, RANGE.size(), r)
                        .isEqualTo(StunClass.SUCCESS_RESPONSE);
            }
            assertThat(BlockingClient.isError(world.allocate(CLIENTS + RANGE.size()), 508)).isTrue();
            assertAccounted(world, null);
        }
    }

    private static void assertAccounted(EmbeddedServer world, Step after) {
        List<Allocation> live = world.allocations();
        Set<Integer> held = new HashSet<>();
        live.forEach(a -> held.add(a.relayedAddress().getPort()));
        assertThat(held).as("allocations on distinct ports after %s", after).hasSize(live.size());
        assertThat(world.inUse()).as("ports in use after %s: %d allocations, %d reservations", after, live.size(),
                world.reservations()).isEqualTo(live.size() + world.reservations());
    }

    /** Runs one step against the server. */
    private static void run(EmbeddedServer world, Step step) {
        int client = step.n() % CLIENTS;
        switch (step.kind()) {
            case ALLOCATE -> world.allocate(client);
            case ALLOCATE_EVEN_RESERVE -> {
                StunMessage r = world.allocate(client, EvenPort.RESERVE);
                ReservationToken token = r.get(ReservationToken.class);
                if (token != null) {
                    world.tokens().add(token.token());
                }
            }
            case ALLOCATE_WITH_TOKEN -> {
                if (!world.tokens().isEmpty()) {
                    world.allocate(client, new ReservationToken(world.tokens().get(step.n() % world.tokens().size())));
                }
            }
            case HOLD_PORT -> world.foreign().add(RANGE.min() + step.n() % RANGE.size());
            case FREE_PORT -> world.foreign().remove(RANGE.min() + step.n() % RANGE.size());
            case DELETE -> world.refresh(client, 0);
            case ADVANCE -> world.advance(Duration.ofSeconds(new int[] {1, 11, 31, 601}[step.n() % 4]));
        }
    }
}
