package dev.turnlab.server;

import static dev.turnlab.server.support.BlockingClient.isError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.TransactionId;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.UnknownAttribute;
import dev.turnlab.codec.attribute.XorMappedAddress;
import dev.turnlab.server.support.BlockingClient;
import dev.turnlab.testing.tools.MutableClock;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Binding requests over UDP that the listener answers without a {@code StunMessage} (RFC 8489 §6.3.1) get the
 * bytes the request processor sends for the same request, and everything around them behaves as before: a
 * wrong FINGERPRINT is discarded silently (§7.3), a malformed request gets 400, junk is counted and dropped.
 */
class PlainBindingOverUdpTest {

    private final MutableClock clock = MutableClock.now();
    private TurnServer server;
    private BlockingClient client;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.loopback(clock).build().start();
        client = BlockingClient.udp(server.udpAddress(), "alice", "alice-secret");
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    @Test
    void aBindingWithFingerprintGetsTheProcessorsAnswerByteForByte() throws Exception {
        TransactionId id = TransactionId.random();
        byte[] plain = answer(StunMessage.request(Method.BINDING).transactionId(id)
                .add(new Software("probe")).fingerprint().build());
        // A comprehension-optional attribute the server does not know sends the same request through the processor.
        byte[] processed = answer(StunMessage.request(Method.BINDING).transactionId(id)
                .add(new Software("probe"), new UnknownAttribute(0x80FF, new byte[4])).fingerprint().build());

        assertThat(plain).isEqualTo(processed);
        StunMessage response = BlockingClient.decode(plain);
        assertThat(response.stunClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(response.transactionId()).isEqualTo(id);
        assertThat(response.get(XorMappedAddress.class).address()).isEqualTo(client.localAddress());
        assertThat(response.get(Software.class)).isNotNull();
        assertThat(response.hasFingerprint()).isTrue();
        assertThat(server.counters().requestCounts()).containsEntry("binding", 2L);
    }

    @Test
    void aBindingWithoutFingerprintGetsTheProcessorsAnswerByteForByte() throws Exception {
        TransactionId id = TransactionId.random();
        byte[] plain = answer(StunMessage.request(Method.BINDING).transactionId(id).build());
        byte[] processed = answer(StunMessage.request(Method.BINDING).transactionId(id)
                .add(new UnknownAttribute(0x80FF, new byte[0])).build());

        assertThat(plain).isEqualTo(processed);
        assertThat(BlockingClient.decode(plain).hasFingerprint()).isFalse();
    }

    @Test
    void aBindingWithAWrongFingerprintIsDiscardedSilently() throws Exception {
        byte[] request = BlockingClient.encode(StunMessage.request(Method.BINDING).fingerprint().build());
        request[request.length - 1] ^= 1;
        client.sendRaw(request);

        // The next answer is the one to the request sent after it: nothing came back for the first.
        TransactionId next = TransactionId.random();
        StunMessage response = BlockingClient.decode(answer(StunMessage.request(Method.BINDING).transactionId(next).build()));
        assertThat(response.transactionId()).isEqualTo(next);
        assertThat(server.counters().malformedCount()).isEqualTo(1);
        assertThat(server.counters().requestCounts()).containsEntry("binding", 1L);
    }

    @Test
    void junkAndMalformedBindingRequestsBehaveAsBefore() throws Exception {
        byte[] binding = BlockingClient.encode(StunMessage.request(Method.BINDING).build());
        client.sendRaw(Arrays.copyOf(binding, 19)); // too short for a header: counted, not answered
        byte[] oddLength = Arrays.copyOf(binding, 22);
        oddLength[3] = 2; // a length that is no multiple of 4: discarded silently (RFC 8489 §7.3)
        client.sendRaw(oddLength);
        byte[] truncated = Arrays.copyOf(binding, 28);
        truncated[3] = 8; // SOFTWARE whose length runs past the end: 400 Bad Request
        truncated[20] = (byte) 0x80;
        truncated[21] = 0x22;
        truncated[23] = 100;
        client.sendRaw(truncated);

        StunMessage badRequest = BlockingClient.decode(client.receiveRaw(5000));
        assertThat(isError(badRequest, 400)).isTrue();
        assertThat(badRequest.transactionId()).isEqualTo(BlockingClient.decode(binding).transactionId());
        assertThat(client.exchange(StunMessage.request(Method.BINDING).build()).stunClass())
                .isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(server.counters().malformedCount()).isEqualTo(3);
    }

    private byte[] answer(StunMessage request) throws Exception {
        client.sendRaw(BlockingClient.encode(request));
        byte[] response = client.receiveRaw(5000);
        assertThat(response).as("answer to %s", request).isNotNull();
        return response;
    }
}
