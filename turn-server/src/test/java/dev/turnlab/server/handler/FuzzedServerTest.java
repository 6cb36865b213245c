package dev.turnlab.server.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fuzzing harness reaches past authentication: the sessions of coturn's turnutils_uclient recorded in the
 * corpus, re-signed with the harness's nonces, allocate, relay to the peer and hear from it. Without this the
 * server fuzzers could spend their time on 401 answers and still pass.
 */
class FuzzedServerTest {

    @ParameterizedTest
    @CsvSource({"UdpListenerFuzzTestInputs/datagrams/uclient-udp-channels, false",
        "UdpListenerFuzzTestInputs/datagrams/uclient-udp-send, false",
        "StreamListenerFuzzTestInputs/stream/uclient-tcp, true"})
    void aRecordedSessionAllocatesAndRelaysBothWays(String seed, boolean stream) throws IOException {
        byte[] input;
        try (InputStream in = getClass().getResourceAsStream(seed)) {
            input = in.readAllBytes();
        }
        FuzzedServer server = new FuzzedServer(stream);
        try (server) {
            server.play(Script.parse(input));
        }
        assertThat(server.counters().allocationsCreatedCount()).isEqualTo(1);
        assertThat(server.toPeers()).isPositive();
        assertThat(server.dataToClients()).isPositive();
        assertThat(server.counters().authFailureCounts().values()).as("signed as the server asks").containsOnly(0L);
    }
}
