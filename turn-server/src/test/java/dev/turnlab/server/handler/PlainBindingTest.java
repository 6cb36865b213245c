package dev.turnlab.server.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.StunMessageView;
import dev.turnlab.codec.TransactionId;
import dev.turnlab.codec.attribute.ChangeRequest;
import dev.turnlab.codec.attribute.Priority;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.XorMappedAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The plain Binding answer is the encoder's bytes for the response {@link Reply} builds (RFC 8489 §6.3.1): for
 * IPv4 and IPv6 clients, with and without SOFTWARE, with and without FINGERPRINT; other requests are not plain.
 */
class PlainBindingTest {

    private final StunMessageView view = new StunMessageView();

    @ParameterizedTest
    @CsvSource({"192.0.2.1, turnlab 0.1, true", "192.0.2.1, '', false", "2001:db8::1, turnlab, true",
            "2001:db8::1, '', false"})
    void answersWithTheBytesOfTheProcessorsResponse(String ip, String software, boolean fingerprint) {
        InetSocketAddress client = new InetSocketAddress(ip, 40000);
        StunMessage.Builder b = StunMessage.request(Method.BINDING).add(new Software("probe"));
        StunMessage request = (fingerprint ? b.fingerprint() : b).build();
        StunMessage.Builder expected = StunMessage.successResponse(request).add(new XorMappedAddress(client));
        if (!software.isEmpty()) {
            expected.add(new Software(software));
        }
        ByteBuf in = StunMessageCodec.encode(request, PooledByteBufAllocator.DEFAULT);
        ByteBuf want = StunMessageCodec.encode((fingerprint ? expected.fingerprint() : expected).build(),
                PooledByteBufAllocator.DEFAULT);
        try {
            assertThat(PlainBinding.mayBeBindingRequest(in)).isTrue();
            assertThat(view.wrap(in)).isTrue();
            assertThat(PlainBinding.isPlain(view)).isTrue();
            ByteBuf out = new PlainBinding(software).successResponse(view, client, PooledByteBufAllocator.DEFAULT);
            try {
                assertThat(ByteBufUtil.hexDump(out)).isEqualTo(ByteBufUtil.hexDump(want));
            } finally {
                out.release();
            }
        } finally {
            in.release();
            want.release();
        }
    }

    @ParameterizedTest
    @CsvSource({"priority", "change-request", "classic", "allocate"})
    void requestsWithMoreThanSoftwareAndFingerprintAreNotPlain(String kind) {
        StunMessage request = switch (kind) {
            case "priority" -> StunMessage.request(Method.BINDING).add(new Priority(1)).build();
            case "change-request" -> StunMessage.request(Method.BINDING).add(new ChangeRequest(false, false)).build();
            case "classic" -> StunMessage.request(Method.BINDING)
                    .transactionId(TransactionId.ofHex("0102030405060708090a0b0c0d0e0f10")).build();
            default -> StunMessage.request(Method.ALLOCATE).build();
        };
        ByteBuf in = StunMessageCodec.encode(request, PooledByteBufAllocator.DEFAULT);
        try {
            assertThat(view.wrap(in)).isTrue();
            assertThat(PlainBinding.isPlain(view)).isFalse();
        } finally {
            in.release();
        }
    }
}
