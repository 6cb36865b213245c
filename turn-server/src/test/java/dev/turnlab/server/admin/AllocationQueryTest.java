package dev.turnlab.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /api/allocations?...}: which allocations the filters select and which page of them comes back. */
class AllocationQueryTest {

    private static final List<StatusSnapshot.AllocationStatus> ALL = List.of(
            allocation("a1", "alice", "192.0.2.1", 50000, 40001),
            allocation("a2", "alice", "192.0.2.1", 50001, 40002),
            allocation("b1", "bob", "192.0.2.2", 50000, 40003),
            allocation("c1", "carol", "2001:db8::1", 50000, 40004),
            allocation("a3", "alice", "192.0.2.3", 50000, 40005));

    private static AllocationQuery query(String uri) {
        return AllocationQuery.parse(new QueryStringDecoder(uri).parameters());
    }

    private static List<String> ids(String uri) {
        return query(uri).apply(ALL).allocations().stream().map(StatusSnapshot.AllocationStatus::id).toList();
    }

    @Test
    void withoutParametersEverythingInOnePage() {
        AllocationQuery.Page page = query("/api/allocations").apply(ALL);
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.limit()).isEqualTo(AllocationQuery.DEFAULT_LIMIT);
        assertThat(page.offset()).isZero();
        assertThat(page.allocations()).extracting(StatusSnapshot.AllocationStatus::id)
                .containsExactly("a1", "a2", "b1", "c1", "a3");
    }

    @Test
    void filtersByUserClientAndRelayedAddress() {
        assertThat(ids("/api/allocations?user=alice")).containsExactly("a1", "a2", "a3");
        assertThat(ids("/api/allocations?user=Alice")).isEmpty();
        assertThat(ids("/api/allocations?client=192.0.2.1")).containsExactly("a1", "a2");
        assertThat(ids("/api/allocations?client=192.0.2.1:50001")).containsExactly("a2");
        assertThat(ids("/api/allocations?client=2001:db8::1")).containsExactly("c1");
        assertThat(ids("/api/allocations?client=%5B2001:db8:0::1%5D:50000")).containsExactly("c1");
        assertThat(ids("/api/allocations?relayed=203.0.113.9:40003")).containsExactly("b1");
        assertThat(ids("/api/allocations?relayed=203.0.113.9")).hasSize(5);
        assertThat(ids("/api/allocations?user=alice&client=192.0.2.3")).containsExactly("a3");
    }

    @Test
    void pagesCountTheWholeSelection() {
        AllocationQuery.Page second = query("/api/allocations?user=alice&limit=2&offset=2").apply(ALL);
        assertThat(second.total()).isEqualTo(3);
        assertThat(second.allocations()).extracting(StatusSnapshot.AllocationStatus::id).containsExactly("a3");
        assertThat(ids("/api/allocations?limit=2")).containsExactly("a1", "a2");
        assertThat(ids("/api/allocations?limit=2&offset=1")).containsExactly("a2", "b1");
        AllocationQuery.Page beyond = query("/api/allocations?offset=99").apply(ALL);
        assertThat(beyond.total()).isEqualTo(5);
        assertThat(beyond.allocations()).isEmpty();
    }

    @Test
    void badParametersAreRefusedWithTheReason() {
        assertThatThrownBy(() -> query("/api/allocations?username=alice")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown parameter: username (expected: user, client, relayed, limit, offset)");
        assertThatThrownBy(() -> query("/api/allocations?user=a&user=b")).hasMessage("user: given 2 times (expected: once)");
        assertThatThrownBy(() -> query("/api/allocations?limit=0")).hasMessage("limit: 0 (expected: an integer 1-1000)");
        assertThatThrownBy(() -> query("/api/allocations?limit=1001")).hasMessage("limit: 1001 (expected: an integer 1-1000)");
        assertThatThrownBy(() -> query("/api/allocations?limit=ten")).hasMessage("limit: ten (expected: an integer 1-1000)");
        assertThatThrownBy(() -> query("/api/allocations?offset=-1"))
                .hasMessage("offset: -1 (expected: an integer 0-2147483647)");
        for (String bad : new String[] {"example.com", "192.0.2.1:", "192.0.2.1:99999", "[192.0.2.1]:1", "300.0.0.1"}) {
            assertThatThrownBy(() -> query("/api/allocations?client=" + bad)).as(bad)
                    .hasMessageStartingWith("client: " + bad + " (expected: an IP address, or IP:PORT");
        }
    }

    private static StatusSnapshot.AllocationStatus allocation(String id, String user, String client, int clientPort,
            int relayPort) {
        return new StatusSnapshot.AllocationStatus(id, user, "udp", new InetSocketAddress(client, clientPort),
                new InetSocketAddress("198.51.100.1", 3478), List.of(new InetSocketAddress("203.0.113.9", relayPort)),
                Instant.EPOCH, Instant.EPOCH.plusSeconds(600), List.of(), List.of(), MetricsSnapshot.Traffic.NONE, 0,
                MetricsSnapshot.Traffic.NONE);
    }
}
