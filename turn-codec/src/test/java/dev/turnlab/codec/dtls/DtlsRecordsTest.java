package dev.turnlab.codec.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the DTLS handler reads of a datagram before an engine sees it (RFC 6347 §4.1, RFC 7983 §7). */
class DtlsRecordsTest {

    /** A ClientHello record header in epoch 0 (DTLS 1.0 record version, as OpenSSL sends it), 1 byte of body. */
    private static final String CLIENT_HELLO = "16 feff 0000 000000000000 0001 01";

    @Test
    void aClientHelloInEpochZeroStartsAnAssociation() {
        ByteBuf b = hex(CLIENT_HELLO);
        assertThat(DtlsRecords.isDtls(b)).isTrue();
        assertThat(DtlsRecords.isClientHello(b)).isTrue();
        assertThat(b.readerIndex()).isZero();
        b.release();
    }

    @Test
    void aClientHelloForDtls10OnlyIsToldApartAndGetsAFatalProtocolVersionAlert() {
        // Handshake header: ClientHello, length, message_seq, fragment offset and length; then client_version.
        ByteBuf dtls10 = hex("16 feff 0000 000000000000 000e 01 000002 0000 000000 000002 feff");
        ByteBuf dtls12 = hex("16 feff 0000 000000000000 000e 01 000002 0000 000000 000002 fefd");
        assertThat(DtlsRecords.offersDtls10Only(dtls10)).isTrue();
        assertThat(DtlsRecords.offersDtls10Only(dtls12)).isFalse();
        ByteBuf alert = DtlsRecords.protocolVersionAlert(io.netty.buffer.ByteBufAllocator.DEFAULT);
        assertThat(io.netty.buffer.ByteBufUtil.hexDump(alert)).isEqualTo("15feff00000000000000000002" + "0246");
        dtls10.release();
        dtls12.release();
        alert.release();
    }

    @Test
    void otherRecordsAreDtlsButNoClientHello() {
        ByteBuf applicationData = hex("17 fefd 0001 000000000001 0002 abcd");
        ByteBuf finishedInEpochOne = hex("16 fefd 0001 000000000000 0001 14");
        assertThat(DtlsRecords.isDtls(applicationData)).isTrue();
        assertThat(DtlsRecords.isClientHello(applicationData)).isFalse();
        assertThat(DtlsRecords.isClientHello(finishedInEpochOne)).isFalse();
        applicationData.release();
        finishedInEpochOne.release();
    }

    @Test
    void stunChannelDataTlsAndTruncatedRecordsAreNotDtls() {
        String[] notDtls = {
            "0001 0000 2112a442 000102030405060708090a0b", // STUN Binding request
            "4000 0004 01020304 0000000000000000",          // ChannelData
            "16 0303 0001 01 000000000000000000",           // a TLS record: version 3.3
            "16 fefd 0000 000000000000 0010 01",            // length beyond the datagram
            "16 fefd 0000 0000",                            // shorter than a header
            "19 fefd 0000 000000000000 0000",               // content type 25, not DTLS 1.2's
            ""};
        for (String h : notDtls) {
            ByteBuf b = hex(h);
            assertThat(DtlsRecords.isDtls(b)).as(h).isFalse();
            b.release();
        }
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> new DtlsLimits(0, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessageContaining("maxHandshakes: 0");
        assertThatThrownBy(() -> DtlsLimits.DEFAULT.withHandshakeTimeout(Duration.ZERO))
                .hasMessage("handshakeTimeout: PT0S (expected: > 0)");
        assertThat(DtlsLimits.DEFAULT.withHandshakeTimeout(Duration.ofSeconds(3)).handshakeTimeout()).hasSeconds(3);
    }

    private static ByteBuf hex(String spaced) {
        String h = spaced.replace(" ", "");
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return Unpooled.wrappedBuffer(b);
    }
}
