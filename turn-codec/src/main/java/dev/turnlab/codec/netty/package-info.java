/**
 * Netty handlers for STUN and TURN (RFC 8489, RFC 8656): glue around the pure codecs of
 * {@code dev.turnlab.codec}. Datagrams are demultiplexed by their first byte (RFC 7983); streams are
 * framed by the length fields of STUN and ChannelData (RFC 8489 §6.2.2, RFC 8656 §12.5).
 */
package dev.turnlab.codec.netty;
