/**
 * An asynchronous TURN client (RFC 8656) on Netty: {@link dev.turnlab.client.TurnClient}, whose requests
 * return {@link dev.turnlab.client.TurnResult}s, retransmitted per RFC 8489 §6.2
 * ({@link dev.turnlab.client.Retransmission}).
 */
package dev.turnlab.client;
