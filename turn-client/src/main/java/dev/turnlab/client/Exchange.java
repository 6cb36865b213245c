package dev.turnlab.client;

import dev.turnlab.codec.StunMessage;
import java.time.Duration;

/** A response matched to its request, with the time from the first transmission and how many went out. */
record Exchange(StunMessage response, Duration roundTrip, int transmissions) {
}
