/**
 * DTLS 1.2 (RFC 6347) under STUN and TURN datagrams (RFC 7350): a Netty handler that keeps one JDK
 * {@link javax.net.ssl.SSLEngine} per remote address, drives its handshake with retransmissions, and passes
 * plaintext datagrams on, for the server's DTLS listener and the client's DTLS transport alike.
 */
package dev.turnlab.codec.dtls;
