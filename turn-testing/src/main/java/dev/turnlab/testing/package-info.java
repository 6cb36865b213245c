/**
 * {@link dev.turnlab.testing.TurnServerExtension}: turnlab's TURN server on loopback for a JUnit 5 test class,
 * with its addresses, credentials and ready clients. The tools it builds on are in
 * {@code dev.turnlab.testing.tools} (artifact {@code turn-testing-tools}).
 */
package dev.turnlab.testing;
