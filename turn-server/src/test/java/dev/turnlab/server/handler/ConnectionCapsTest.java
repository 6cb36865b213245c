package dev.turnlab.server.handler;

import dev.turnlab.server.ServerCounters;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The counting behind the connection caps: places taken and given back, nothing kept for closed sources. */
class ConnectionCapsTest {

    private final ConnectionCaps caps = new ConnectionCaps(2, 3, new ServerCounters(), new AllocationLog(Clock.systemUTC(), 0));

    @Test
    void eachSourceUpToItsCapThenTheTotal() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        InetAddress c = InetAddress.getByName("192.0.2.3");
        assertThat(caps.acquire(a)).isNull();
        assertThat(caps.acquire(a)).isNull();
        assertThat(caps.acquire(a)).isEqualTo(ConnectionRefusal.PER_SOURCE_LIMIT);
        assertThat(caps.acquire(b)).isNull();
        assertThat(caps.acquire(c)).isEqualTo(ConnectionRefusal.TOTAL_LIMIT);
        assertThat(caps.open()).isEqualTo(3);

        caps.release(a);
        assertThat(caps.acquire(c)).isNull();
        caps.release(a);
        caps.release(b);
        caps.release(c);
        assertThat(caps.open()).isZero();
        assertThat(caps.sources()).isZero();
    }

    /** One IPv6 host holds a whole /64: its addresses share one source's cap, as they share login limits. */
    @Test
    void anIpv6SourceIsItsSlash64() throws Exception {
        assertThat(caps.acquire(InetAddress.getByName("2001:db8:1:2::1"))).isNull();
        assertThat(caps.acquire(InetAddress.getByName("2001:db8:1:2:ffff::9"))).isNull();
        assertThat(caps.acquire(InetAddress.getByName("2001:db8:1:2::3"))).isEqualTo(ConnectionRefusal.PER_SOURCE_LIMIT);
        assertThat(caps.acquire(InetAddress.getByName("2001:db8:1:3::1"))).isNull(); // the next /64
        assertThat(caps.sources()).isEqualTo(2);

        caps.release(InetAddress.getByName("2001:db8:1:2::1"));
        caps.release(InetAddress.getByName("2001:db8:1:2:ffff::9"));
        caps.release(InetAddress.getByName("2001:db8:1:3::1"));
        assertThat(caps.open()).isZero();
        assertThat(caps.sources()).isZero();
    }

    @Test
    void zeroMeansNoLimit() throws Exception {
        ConnectionCaps none = new ConnectionCaps(0, 0, new ServerCounters(), new AllocationLog(Clock.systemUTC(), 0));
        InetAddress a = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < 1000; i++) {
            assertThat(none.acquire(a)).isNull();
        }
        assertThat(none.sources()).isZero();
    }
}
