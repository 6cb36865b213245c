package dev.turnlab.codec.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The allocation-free HMAC gives the JDK's HMAC-SHA1 and HMAC-SHA256 (RFC 2104) for keys shorter than, as long
 * as and longer than a block, an empty key included, over arrays and direct buffers alike.
 */
class IntegrityAlgorithmTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 16, 63, 64, 65, 200})
    void computesTheJdkMacForEveryKeyLength(int keyLength) throws GeneralSecurityException {
        Random random = new Random(keyLength);
        byte[] key = new byte[keyLength];
        byte[] data = new byte[300];
        random.nextBytes(key);
        random.nextBytes(data);
        for (IntegrityAlgorithm algorithm : IntegrityAlgorithm.values()) {
            String name = algorithm == IntegrityAlgorithm.HMAC_SHA1 ? "HmacSHA1" : "HmacSHA256";
            Mac jdk = Mac.getInstance(name);
            jdk.init(new SecretKeySpec(keyLength == 0 ? new byte[1] : key, name));
            byte[] expected = jdk.doFinal(data);
            assertThat(algorithm.compute(key, ByteBuffer.wrap(data))).isEqualTo(expected);
            ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(data);
            ByteBuf out = PooledByteBufAllocator.DEFAULT.heapBuffer();
            try {
                algorithm.write(key, direct, 0, data.length, out);
                assertThat(out.readableBytes()).isEqualTo(algorithm.length());
                assertThat(ByteBufUtil.getBytes(out)).isEqualTo(expected);
            } finally {
                direct.release();
                out.release();
            }
        }
    }
}
