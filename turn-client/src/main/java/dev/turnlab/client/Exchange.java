package dev.turnlab.client;

import dev.turnlab.codec.StunMessage;
import java.time.Duration;

/**
 * A response matched to its request (RFC 8489 §6.3): a success or an error response.
 *
 * @param response the response, success or error
 * @param roundTrip the time from the request's first transmission to the response
 * @param transmissions how many times the request went out
 */
public record Exchange(StunMessage response, Duration roundTrip, int transmissions) {
}
