package dev.turnlab.server.support;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;

/** A blocking transport for the test client: datagrams, or a TCP stream framed as RFC 8656 §12.5 says. */
interface Wire extends Closeable {

    void send(byte[] frame) throws IOException;

    byte[] receive(int timeoutMillis) throws IOException;

    InetSocketAddress localAddress();

    boolean isStream();

    default java.security.cert.Certificate peerCertificate() throws IOException {
        return null;
    }

    /** Reads exactly {@code n} bytes as they come, unframed: a stream's raw bytes (RFC 6062 data connections). */
    default byte[] receiveBytes(int n, int timeoutMillis) throws IOException {
        throw new UnsupportedOperationException("not a stream");
    }

    /** Whether the server closes (or resets) the stream within the timeout, discarding what it still sends. */
    default boolean awaitClosed(int timeoutMillis) throws IOException {
        throw new UnsupportedOperationException("not a stream");
    }

    final class Udp implements Wire {
        private final DatagramSocket socket;
        private final InetSocketAddress server;

        Udp(InetSocketAddress server) throws IOException {
            this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            this.server = server;
        }

        @Override
        public void send(byte[] frame) throws IOException {
            socket.send(new DatagramPacket(frame, frame.length, server));
        }

        @Override
        public byte[] receive(int timeoutMillis) throws IOException {
            byte[] buf = new byte[65536];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.setSoTimeout(timeoutMillis);
            socket.receive(p);
            return Arrays.copyOf(buf, p.getLength());
        }

        @Override
        public InetSocketAddress localAddress() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public boolean isStream() {
            return false;
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    final class Tcp implements Wire {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        Tcp(InetSocketAddress server) throws IOException {
            this(plain(server));
        }

        Tcp(Socket connected) throws IOException {
            this.socket = connected;
            socket.setTcpNoDelay(true);
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        @Override
        public void send(byte[] frame) throws IOException {
            out.write(frame);
            out.flush();
        }

        private static Socket plain(InetSocketAddress server) throws IOException {
            Socket s = new Socket();
            s.connect(server, 2000);
            return s;
        }

        /** A TLS connection that trusts any certificate: the server's is self-signed. */
        static Tcp tls(InetSocketAddress server) throws IOException {
            try {
                javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
                context.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                    @Override
                    public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                    }

                    @Override
                    public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                    }

                    @Override
                    public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                        return new java.security.cert.X509Certificate[0];
                    }
                }}, null);
                javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                        .createSocket(server.getAddress(), server.getPort());
                s.startHandshake();
                return new Tcp(s);
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException(e);
            }
        }

        @Override
        public byte[] receive(int timeoutMillis) throws IOException {
            socket.setSoTimeout(timeoutMillis);
            byte[] header = new byte[4];
            in.readFully(header);
            int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            boolean channelData = (header[0] & 0xC0) == 0x40;
            int rest = channelData ? length + ((4 - (length & 3)) & 3) : 16 + length;
            byte[] frame = new byte[4 + rest];
            System.arraycopy(header, 0, frame, 0, 4);
            in.readFully(frame, 4, rest);
            // ChannelData is returned without its padding.
            return channelData ? Arrays.copyOf(frame, 4 + length) : frame;
        }

        @Override
        public byte[] receiveBytes(int n, int timeoutMillis) throws IOException {
            socket.setSoTimeout(timeoutMillis);
            byte[] bytes = new byte[n];
            in.readFully(bytes);
            return bytes;
        }

        @Override
        public boolean awaitClosed(int timeoutMillis) throws IOException {
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            byte[] sink = new byte[4096];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) left);
                try {
                    if (in.read(sink) < 0) {
                        return true;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    return false;
                } catch (java.net.SocketException e) {
                    return true; // reset
                }
            }
        }

        @Override
        public InetSocketAddress localAddress() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public boolean isStream() {
            return true;
        }

        @Override
        public java.security.cert.Certificate peerCertificate() throws IOException {
            return socket instanceof javax.net.ssl.SSLSocket tls ? tls.getSession().getPeerCertificates()[0] : null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
