package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.server.ClusterConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --redis}, {@code --node-name} and {@code --node-address}, on the command line and in the config file. */
class ClusterOptionsTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void aNodeOfACluster() throws Exception {
        Main cli = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        new CommandLine(cli).parseArgs("--user", "alice:secret", "--redis", "redis://:pw@10.0.0.9:6379/1",
                "--node-name", "turn-a", "--node-address", "192.0.2.10:3478", "--redis-timeout", "100");
        ClusterConfig c = cli.build().config().cluster();
        assertThat(c.nodeName()).isEqualTo("turn-a");
        assertThat(c.nodeAddress()).isEqualTo(new InetSocketAddress("192.0.2.10", 3478));
        assertThat(c.database()).isEqualTo(1);
        assertThat(c.commandTimeout().toMillis()).isEqualTo(100);

        Path conf = dir.resolve("turnserver.conf");
        Files.writeString(conf, "user=alice:secret\nredis=redis://127.0.0.1:6379\nnode-address=192.0.2.11:3479\n");
        Main fromFile = new Main(new PrintWriter(out, true), new CountDownLatch(0));
        new CommandLine(fromFile).parseArgs(ConfigFile.arguments(conf).toArray(new String[0]));
        assertThat(fromFile.build().config().cluster().nodeAddress()).isEqualTo(new InetSocketAddress("192.0.2.11", 3479));
    }

    @Test
    void aNodeWithoutAnAddressClientsReachOrWithoutRedisIsOneLineAndStatus2() {
        assertThat(run("--user", "a:b", "--redis", "redis://127.0.0.1:6379")).isEqualTo(2);
        assertThat(run("--user", "a:b", "--node-address", "192.0.2.10:3478")).isEqualTo(2);
        assertThat(run("--user", "a:b", "--redis", "redis://127.0.0.1:6379", "--node-address", "0.0.0.0:3478")).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "turn-server: nodeAddress: none for a cluster node listening on a wildcard address "
                        + "(expected: --node-address HOST:PORT, or --external-address)",
                "turn-server: node-address: needs --redis (expected: --redis redis://HOST:PORT)",
                "turn-server: nodeAddress: /0.0.0.0:3478 (expected: a specific IP address and a port, HOST:PORT)");
    }

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), new CountDownLatch(0));
    }
}
