package dev.turnlab.codec.dtls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * One DTLS association: the engine for one remote address, whether its handshake has finished, and its
 * timers. Wraps and unwraps whole records into buffers of its own allocation; never releases its input.
 * Used on one event loop only.
 */
final class DtlsSession {

    /** What a record adds to its plaintext at most with the DTLS 1.2 suites (header, explicit nonce, tag, padding). */
    private static final int RECORD_OVERHEAD = 128;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    final InetSocketAddress remote;
    final SSLEngine engine;
    final long createdNanos;
    long lastReceivedNanos;
    boolean established;
    ScheduledFuture<?> retransmit;
    long retransmitMillis;

    /** The engine's largest record, read on the first data record; 0 until then. */
    private int packetBufferSize;

    DtlsSession(InetSocketAddress remote, SSLEngine engine, long nowNanos, long initialRetransmitMillis) {
        this.remote = remote;
        this.engine = engine;
        this.createdNanos = nowNanos;
        this.lastReceivedNanos = nowNanos;
        this.retransmitMillis = initialRetransmitMillis;
    }

    /** A result and the buffer it filled: plaintext from {@link #unwrap}, a record from {@link #wrap}; null when empty. */
    record Output(SSLEngineResult result, ByteBuf bytes) {
    }

    /**
     * Unwraps the next record of {@code src} (or one the engine holds back, with an empty {@code src}); the
     * plaintext, if any, is at most as long as the record.
     */
    Output unwrap(ByteBufAllocator alloc, ByteBuffer src) throws SSLException {
        // A record's plaintext is shorter than the record; a record the engine held back may be as long as any.
        ByteBuf out = alloc.buffer(src.hasRemaining() ? src.remaining() : engine.getSession().getApplicationBufferSize());
        try {
            SSLEngineResult r = engine.unwrap(src, out.nioBuffer(0, out.capacity()));
            return produced(r, out);
        } catch (SSLException | RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** Wraps handshake messages (an empty source), or an alert after {@code closeOutbound}. */
    Output wrapHandshake(ByteBufAllocator alloc) throws SSLException {
        return wrap(alloc, EMPTY, engine.getSession().getPacketBufferSize());
    }

    /** Wraps {@code plaintext} into one record; a record too small for it is retried at the largest size. */
    Output wrapData(ByteBufAllocator alloc, ByteBuffer plaintext) throws SSLException {
        // Read once: the size is fixed per engine, and the JDK's getSession() takes the engine's lock.
        if (packetBufferSize == 0) {
            packetBufferSize = engine.getSession().getPacketBufferSize();
        }
        int largest = packetBufferSize;
        Output o = wrap(alloc, plaintext, Math.min(largest, plaintext.remaining() + RECORD_OVERHEAD));
        if (o.result().getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            return wrap(alloc, plaintext, largest);
        }
        return o;
    }

    private Output wrap(ByteBufAllocator alloc, ByteBuffer src, int capacity) throws SSLException {
        ByteBuf out = alloc.buffer(capacity);
        try {
            SSLEngineResult r = engine.wrap(src, out.nioBuffer(0, out.capacity()));
            return produced(r, out);
        } catch (SSLException | RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private static Output produced(SSLEngineResult r, ByteBuf out) {
        if (r.bytesProduced() == 0) {
            out.release();
            return new Output(r, null);
        }
        out.writerIndex(r.bytesProduced());
        return new Output(r, out);
    }

    /** Stops the retransmission timer, if running. */
    void stopRetransmit() {
        if (retransmit != null) {
            retransmit.cancel(false);
            retransmit = null;
        }
    }
}
