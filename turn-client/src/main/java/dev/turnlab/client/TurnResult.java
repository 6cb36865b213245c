package dev.turnlab.client;

import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Realm;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to one request: a value on a success response, or the ERROR-CODE (RFC 8489 §14.8) with
 * its reason on an error response. The last response the server sent is kept for anything else it
 * carried (SOFTWARE, REALM...). Immutable.
 *
 * @param <T> the value of a success
 */
public final class TurnResult<T> {

    private final T value;
    private final ErrorCode error;
    private final StunMessage response;
    private final Duration roundTrip;
    private final int transmissions;

    private TurnResult(T value, ErrorCode error, StunMessage response, Duration roundTrip, int transmissions) {
        this.value = value;
        this.error = error;
        this.response = Objects.requireNonNull(response, "response");
        this.roundTrip = Objects.requireNonNull(roundTrip, "roundTrip");
        this.transmissions = transmissions;
    }

    static <T> TurnResult<T> success(T value, Exchange exchange) {
        return new TurnResult<>(value, null, exchange.response(), exchange.roundTrip(), exchange.transmissions());
    }

    static <T> TurnResult<T> refused(Exchange exchange) {
        StunMessage response = exchange.response();
        ErrorCode error = response.attribute(ErrorCode.class)
                .orElse(new ErrorCode(500, "error response without ERROR-CODE"));
        return new TurnResult<>(null, error, response, exchange.roundTrip(), exchange.transmissions());
    }

    /** The refusal {@code refused} carries, as the result of a request that needed it to succeed first. */
    static <T> TurnResult<T> refusedAs(TurnResult<?> refused) {
        if (refused.error == null) {
            throw new IllegalArgumentException("refusedAs: a success (expected: an error response)");
        }
        return new TurnResult<>(null, refused.error, refused.response, refused.roundTrip, refused.transmissions);
    }

    /** Whether the server answered with a success response. */
    public boolean isSuccess() {
        return error == null;
    }

    /** The value of the success; throws {@link NoSuchElementException} naming the error if refused. */
    public T value() {
        if (error != null) {
            throw new NoSuchElementException("refused: " + error.code() + " " + error.reason());
        }
        return value;
    }

    /** The ERROR-CODE of an error response; empty on success. */
    public Optional<ErrorCode> error() {
        return Optional.ofNullable(error);
    }

    /** The REALM of the response, if it carried one (a 401 challenge does). */
    public Optional<String> realm() {
        return response.attribute(Realm.class).map(Realm::value);
    }

    /** The response itself. */
    public StunMessage response() {
        return response;
    }

    /** From the first transmission of the last request to its response. */
    public Duration roundTrip() {
        return roundTrip;
    }

    /** How many times the last request was sent before it was answered (1 without loss). */
    public int transmissions() {
        return transmissions;
    }

    @Override
    public String toString() {
        String outcome = error == null ? "success " + value : error.code() + " " + error.reason();
        return response.method() + " " + outcome + " in " + roundTrip.toMillis() + " ms";
    }

    static boolean isError(StunMessage response) {
        return response.stunClass() == StunClass.ERROR_RESPONSE;
    }
}
