package dev.turnlab.testing.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void aBlockLiesBelowTheEphemeralRangeAndEveryPortOfItBinds() throws Exception {
        FreePorts.Block block = FreePorts.udpBlock(32);

        assertThat(block.size()).isEqualTo(32);
        assertThat(block.min()).isGreaterThanOrEqualTo(FreePorts.LOWEST);
        assertThat(block.max()).isLessThanOrEqualTo(FreePorts.HIGHEST).isLessThan(32_768);
        List<DatagramSocket> bound = new ArrayList<>();
        try {
            for (int port = block.min(); port <= block.max(); port++) {
                bound.add(new DatagramSocket(new InetSocketAddress("127.0.0.1", port)));
            }
        } finally {
            bound.forEach(DatagramSocket::close);
        }
    }

    /** A block of 3000 covers a given port about one time in four: twenty blocks without it show the probe works. */
    @Test
    void aBlockNeverHoldsAPortInUse() throws Exception {
        FreePorts.Block first = FreePorts.udpBlock(1);
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", first.min()))) {
            for (int i = 0; i < 20; i++) {
                FreePorts.Block block = FreePorts.udpBlock(3000);
                assertThat(taken.getLocalPort()).as("%s", block).matches(p -> p < block.min() || p > block.max(), "outside the block");
            }
        }
    }

    @Test
    void aPortFreeOnTcpAndUdp() throws Exception {
        int port = FreePorts.tcpAndUdp();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port));
                java.net.ServerSocket tcp = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(udp.getLocalPort()).isEqualTo(tcp.getLocalPort());
        }
    }

    @Test
    void aBlockTooLargeIsRefused() {
        assertThatThrownBy(() -> FreePorts.udpBlock(5000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("size: 5000");
    }
}
