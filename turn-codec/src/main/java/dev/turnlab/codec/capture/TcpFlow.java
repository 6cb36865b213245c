package dev.turnlab.codec.capture;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/**
 * One TCP connection in a {@link PacketCapture}: its three-way handshake when created, then data in each
 * direction as segments whose sequence and acknowledgment numbers follow the bytes sent so far (so that
 * Wireshark reassembles the stream, STUN over TCP included), and FIN both ways on {@link #close()}.
 * Used by one thread at a time, the connection's event loop.
 */
public final class TcpFlow {

    private final PacketCapture capture;
    private final InetSocketAddress initiator;
    private final InetSocketAddress acceptor;
    // The next sequence number each side sends; both start at 0 with the SYN, which counts as one.
    private long initiatorNext;
    private long acceptorNext;
    private boolean closed;

    TcpFlow(PacketCapture capture, InetSocketAddress initiator, InetSocketAddress acceptor) {
        this.capture = capture;
        this.initiator = initiator;
        this.acceptor = acceptor;
        segment(true, Pcap.SYN, null, 0, 0);
        initiatorNext = 1;
        segment(false, Pcap.SYN | Pcap.ACK, null, 0, 0);
        acceptorNext = 1;
        segment(true, Pcap.ACK, null, 0, 0);
    }

    /** Records {@code data}'s readable bytes, left unread, as sent by the initiator or by the acceptor. */
    public void data(boolean fromInitiator, ByteBuf data) {
        int index = data.readerIndex();
        int end = data.writerIndex();
        while (index < end && !closed) {
            int length = Math.min(end - index, Pcap.MAX_TCP_SEGMENT);
            segment(fromInitiator, Pcap.PSH | Pcap.ACK, data, index, length);
            if (fromInitiator) {
                initiatorNext += length;
            } else {
                acceptorNext += length;
            }
            index += length;
        }
    }

    /** Records the end of the connection (FIN from each side, then the last ACK); later data is ignored. */
    public void close() {
        if (closed) {
            return;
        }
        segment(true, Pcap.FIN | Pcap.ACK, null, 0, 0);
        initiatorNext++;
        segment(false, Pcap.FIN | Pcap.ACK, null, 0, 0);
        acceptorNext++;
        segment(true, Pcap.ACK, null, 0, 0);
        closed = true;
    }

    private void segment(boolean fromInitiator, int flags, ByteBuf data, int index, int length) {
        if (capture.stopped()) {
            return;
        }
        ByteBuf record = capture.scratch();
        if (fromInitiator) {
            Pcap.tcp(record, capture.micros(), initiator, acceptor, initiatorNext, acceptorNext, flags, data, index, length);
        } else {
            Pcap.tcp(record, capture.micros(), acceptor, initiator, acceptorNext, initiatorNext, flags, data, index, length);
        }
        capture.append(record);
    }
}
