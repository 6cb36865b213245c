package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.auth.LongTermCredentials;
import dev.turnlab.testing.tools.AllocatedBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a server does per request through a {@link StunMessageView}: reading a Binding request, checking a
 * FINGERPRINT, verifying the MESSAGE-INTEGRITY of an authenticated Allocate. None may allocate once warm.
 */
class StunMessageViewAllocationTest {

    private static final int ROUNDS = 50_000;
    private static final byte[] KEY = LongTermCredentials.key("alice", "turnlab", "alice-secret");

    // Untracked: under the paranoid leak detector every access to a tracked buffer records a stack trace.
    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true, true);
    private final ByteBuf binding = wire(StunMessage.request(Method.BINDING).build());
    private final ByteBuf fingerprinted = wire(StunMessage.request(Method.BINDING).add(new Software("probe")).fingerprint()
            .build());
    private final ByteBuf allocate = wire(StunMessage.request(Method.ALLOCATE).add(RequestedTransport.UDP,
            new Username("alice"), new Realm("turnlab"), new Nonce("obMatJos2AAAAQ5tJcjSmAwNzEzMjg3MTc0N2MxNTQ5NDM"))
            .integrity(KEY).fingerprint().build());
    private final StunMessageView view = new StunMessageView();
    private long verified;

    @AfterEach
    void release() {
        binding.release();
        fingerprinted.release();
        allocate.release();
    }

    @Test
    void readingAndVerifyingAllocatesNothing() {
        assumeTrue(AllocatedBytes.measurable(), "this JVM does not count allocated bytes per thread");
        run(ROUNDS); // warm up: class loading, compilation and the thread's digests allocate, the steady state must not
        long allocated = AllocatedBytes.during(() -> run(ROUNDS));
        // The slack is for a late compilation on a loaded machine; one object per round would be megabytes.
        assertThat(allocated).as("bytes allocated by %d rounds", ROUNDS).isLessThan(64 * 1024);
        assertThat(verified).as("rounds that read all three and verified the Allocate").isEqualTo(2L * ROUNDS);
    }

    private void run(int rounds) {
        for (int i = 0; i < rounds; i++) {
            if (view.wrap(binding) && view.attributeCount() == 0 && view.wrap(fingerprinted) && view.fingerprint() > 0
                    && view.wrap(allocate) && view.verifyIntegrity(KEY)) {
                verified++;
            }
        }
    }

    private ByteBuf wire(StunMessage message) {
        ByteBuf buf = alloc.directBuffer(256);
        StunMessageCodec.encode(message, buf);
        return buf;
    }
}
