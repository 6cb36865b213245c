/**
 * Packet capture in the pcap format that tcpdump writes and Wireshark reads: what a socket sent and
 * received, with IPv4/IPv6 and UDP/TCP headers synthesized around it ({@link Pcap}, pure functions),
 * appended whole to size-capped, rotating files ({@link PacketCapture}), and a Netty handler that feeds
 * a channel's traffic to it ({@link CaptureHandler}).
 */
package dev.turnlab.codec.capture;
