package dev.turnlab.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.turnlab.testing.tools.CapturedLog;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The UDP listener closing (the server stopping) with datagrams written but not yet flushed, as the event
 * loop's deferred flush leaves them (relay/Flusher): each fails with a closed-channel exception on its void
 * promise, which is the close path working, not a bug to warn about; the buffers are released (the leak
 * detector runs at paranoid).
 */
class UdpListenerCloseTest {

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    @Test
    void closingWithQueuedDatagramsWarnsOfNothing() {
        try (EmbeddedServer server = new EmbeddedServer(new PortRange(40000, 40009), Duration.ofSeconds(10))) {
            EmbeddedChannel listener = server.listener();
            for (int client = 0; client < 20; client++) {
                listener.write(new DatagramPacket(listener.alloc().buffer(52).writeZero(52),
                        new InetSocketAddress("127.0.0.1", 50000 + client)), listener.voidPromise());
            }
            // Through the pipeline: EmbeddedChannel.close() would run pending tasks first.
            listener.pipeline().close().syncUninterruptibly();
            listener.runPendingTasks();
            assertThat(listener.outboundMessages()).isEmpty();
        }
        assertThat(log.linesAtLeast(Level.WARN)).isEmpty();
    }
}
