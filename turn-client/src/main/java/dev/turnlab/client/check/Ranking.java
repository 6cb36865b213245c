package dev.turnlab.client.check;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The servers ordered as a CMS Callbridge orders them: the reachable ones by round-trip time, the
 * fastest first; the Callbridge uses the first. It knows nothing of credentials or relays, so the
 * chosen server may still be one whose report has problems.
 *
 * @param ranked the reachable servers, by median round trip (servers whose timed probes were all lost last)
 * @param unreachable the others, in the order given
 */
public record Ranking(List<ServerReport> ranked, List<ServerReport> unreachable) {

    /** Copies the lists. */
    public Ranking {
        ranked = List.copyOf(ranked);
        unreachable = List.copyOf(unreachable);
    }

    /** Ranks {@code reports}; servers with equal round trips keep their given order. */
    public static Ranking of(List<ServerReport> reports) {
        List<ServerReport> reachable = reports.stream().filter(ServerReport::reachable)
                .sorted(Comparator.comparing(r -> r.roundTrip().median(), Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
        List<ServerReport> others = reports.stream().filter(r -> !r.reachable()).toList();
        return new Ranking(reachable, others);
    }

    /** The server a Callbridge would choose: the reachable one with the lowest round trip. */
    public Optional<ServerReport> chosen() {
        return ranked.stream().findFirst();
    }
}
