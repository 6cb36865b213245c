/**
 * Test tools that depend on nothing of turnlab's: a clock tests advance, a UDP peer, coturn's
 * {@code turnserver} started hermetically, coturn's {@code turnutils} tools, Wireshark's {@code tshark},
 * and free loopback ports and relay ranges.
 */
package dev.turnlab.testing.tools;
