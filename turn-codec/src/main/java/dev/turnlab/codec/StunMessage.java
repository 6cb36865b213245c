package dev.turnlab.codec;

import dev.turnlab.codec.attribute.AttributeType;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.Fingerprint;
import dev.turnlab.codec.attribute.MessageIntegrity;
import dev.turnlab.codec.attribute.MessageIntegritySha256;
import dev.turnlab.codec.attribute.StunAttribute;
import dev.turnlab.codec.attribute.UnknownAttribute;
import dev.turnlab.codec.auth.IntegrityAlgorithm;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable STUN message (RFC 8489 §5): method, class, transaction id and attributes in wire
 * order, duplicates kept.
 *
 * <p>A built message carries MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT as
 * <em>requests</em> that the encoder computes last, in the order RFC 8489 §14 prescribes. A decoded
 * message lists them as attributes and keeps a copy of its wire bytes when it has an integrity
 * attribute, so {@link #verifyIntegrity(byte[])} checks the exact bytes that were received. Messages
 * hold no buffers and need no release.
 */
public final class StunMessage {

    private final Method method;
    private final StunClass stunClass;
    private final TransactionId transactionId;
    private final List<StunAttribute> attributes;

    // Requests, for built messages only.
    private final byte[] integrityKey;
    private final byte[] integritySha256Key;
    private final boolean fingerprint;

    // Evidence, for decoded messages with an integrity attribute only.
    private final byte[] wire;
    private final int integrityOffset;
    private final int integritySha256Offset;

    private StunMessage(Builder b) {
        this.method = b.method;
        this.stunClass = b.stunClass;
        this.transactionId = b.transactionId != null ? b.transactionId : TransactionId.random();
        this.attributes = Collections.unmodifiableList(new ArrayList<>(b.attributes));
        this.integrityKey = b.integrityKey;
        this.integritySha256Key = b.integritySha256Key;
        this.fingerprint = b.fingerprint;
        this.wire = null;
        this.integrityOffset = -1;
        this.integritySha256Offset = -1;
    }

    /** A decoded message; {@code attributes} is owned by the new message. */
    StunMessage(Method method, StunClass stunClass, TransactionId transactionId, List<StunAttribute> attributes,
            byte[] wire, int integrityOffset, int integritySha256Offset) {
        this.method = method;
        this.stunClass = stunClass;
        this.transactionId = transactionId;
        this.attributes = attributes.isEmpty() ? List.of() : Collections.unmodifiableList(attributes);
        this.integrityKey = null;
        this.integritySha256Key = null;
        this.fingerprint = false;
        this.wire = wire;
        this.integrityOffset = integrityOffset;
        this.integritySha256Offset = integritySha256Offset;
    }

    /** A builder for a message of the given method and class. */
    public static Builder builder(Method method, StunClass stunClass) {
        return new Builder(method, stunClass);
    }

    /** A builder for a request of the given method, with a new random transaction id. */
    public static Builder request(Method method) {
        return new Builder(method, StunClass.REQUEST);
    }

    /** A builder for an indication of the given method, with a new random transaction id. */
    public static Builder indication(Method method) {
        return new Builder(method, StunClass.INDICATION);
    }

    /** A builder for the success response to {@code request}: same method and transaction id. */
    public static Builder successResponse(StunMessage request) {
        return new Builder(request.method, StunClass.SUCCESS_RESPONSE).transactionId(request.transactionId);
    }

    /** A builder for the error response to {@code request}, with ERROR-CODE already added. */
    public static Builder errorResponse(StunMessage request, ErrorCode error) {
        return new Builder(request.method, StunClass.ERROR_RESPONSE).transactionId(request.transactionId).add(error);
    }

    /** The method. */
    public Method method() {
        return method;
    }

    /** The class. */
    public StunClass stunClass() {
        return stunClass;
    }

    /** The transaction id. */
    public TransactionId transactionId() {
        return transactionId;
    }

    /** Whether this is an RFC 3489 message, without the magic cookie. */
    public boolean isClassic() {
        return transactionId.isClassic();
    }

    /** The attributes in wire order, duplicates included (unmodifiable). */
    public List<StunAttribute> attributes() {
        return attributes;
    }

    /** The first attribute of the given record type, if any. */
    public <T extends StunAttribute> Optional<T> attribute(Class<T> type) {
        for (StunAttribute a : attributes) {
            if (type.isInstance(a)) {
                return Optional.of(type.cast(a));
            }
        }
        return Optional.empty();
    }

    /** The first attribute of the given record type, or {@code null}: for code that checks many. */
    public <T extends StunAttribute> T get(Class<T> type) {
        for (StunAttribute a : attributes) {
            if (type.isInstance(a)) {
                return type.cast(a);
            }
        }
        return null;
    }

    /** Every attribute of the given record type, in wire order. */
    public <T extends StunAttribute> List<T> attributes(Class<T> type) {
        List<T> found = new ArrayList<>(2);
        for (StunAttribute a : attributes) {
            if (type.isInstance(a)) {
                found.add(type.cast(a));
            }
        }
        return found;
    }

    /** Whether an attribute of the given type is present (for a built message, also a requested one). */
    public boolean has(AttributeType type) {
        if (type.equals(AttributeType.MESSAGE_INTEGRITY) && integrityKey != null
                || type.equals(AttributeType.MESSAGE_INTEGRITY_SHA256) && integritySha256Key != null
                || type.equals(AttributeType.FINGERPRINT) && fingerprint) {
            return true;
        }
        for (StunAttribute a : attributes) {
            if (a.type().equals(type)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The codes of comprehension-required attributes this codec does not know, in wire order: a
     * server answers 420 listing them in UNKNOWN-ATTRIBUTES (RFC 8489 §6.3.1.1). Attributes the codec
     * decodes to records are not listed even if the receiver does not implement them; see
     * {@link #unknownComprehensionRequired(Set)}.
     */
    public List<Integer> unknownComprehensionRequired() {
        return unknownComprehensionRequired(null);
    }

    /**
     * The codes of comprehension-required attributes whose type is not in {@code understood}, in wire
     * order, for the 420 of RFC 8489 §6.3.1.1: a server that decodes DONT-FRAGMENT (RFC 8656 §7.2) or
     * CHANGE-REQUEST (RFC 5780) but does not implement it must still refuse it as unknown.
     */
    public List<Integer> unknownComprehensionRequired(Set<AttributeType> understood) {
        List<Integer> codes = List.of();
        for (StunAttribute a : attributes) {
            int code = a instanceof UnknownAttribute u ? u.code() : a.type().code();
            boolean known = understood == null ? !(a instanceof UnknownAttribute) : understood.contains(a.type());
            if (code < 0x8000 && !known) {
                if (codes.isEmpty()) {
                    codes = new ArrayList<>(2);
                }
                codes.add(code);
            }
        }
        return codes;
    }

    /** Whether the message carries (or, when built, will carry) MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256. */
    public boolean hasIntegrity() {
        return integrityKey != null || integritySha256Key != null || integrityOffset >= 0 || integritySha256Offset >= 0;
    }

    /** Whether the message carries (or, when built, will carry) FINGERPRINT. */
    public boolean hasFingerprint() {
        return fingerprint || get(Fingerprint.class) != null;
    }

    /**
     * Checks a received message's integrity with {@code key} (RFC 8489 §9.1.3, §9.2.4): with
     * MESSAGE-INTEGRITY-SHA256 present, that attribute is checked, otherwise MESSAGE-INTEGRITY. The
     * MAC is compared in constant time. Returns {@code false} when the message has neither.
     */
    public boolean verifyIntegrity(byte[] key) {
        if (integritySha256Offset >= 0) {
            return verify(IntegrityAlgorithm.HMAC_SHA256, key, integritySha256Offset);
        }
        if (integrityOffset >= 0) {
            return verify(IntegrityAlgorithm.HMAC_SHA1, key, integrityOffset);
        }
        return false;
    }

    /** The algorithm {@link #verifyIntegrity} uses for this received message, if it has integrity. */
    public Optional<IntegrityAlgorithm> integrityAlgorithm() {
        if (integritySha256Offset >= 0 || integritySha256Key != null) {
            return Optional.of(IntegrityAlgorithm.HMAC_SHA256);
        }
        if (integrityOffset >= 0 || integrityKey != null) {
            return Optional.of(IntegrityAlgorithm.HMAC_SHA1);
        }
        return Optional.empty();
    }

    // The one check of RFC 8489 §14.5-§14.6, shared with StunMessageView: over the received bytes, in place.
    private boolean verify(IntegrityAlgorithm algorithm, byte[] key, int offset) {
        return algorithm.verify(key, Unpooled.wrappedBuffer(wire), 0, offset);
    }

    byte[] integrityKey() {
        return integrityKey;
    }

    byte[] integritySha256Key() {
        return integritySha256Key;
    }

    boolean fingerprintRequested() {
        return fingerprint;
    }

    /** A builder holding this message's method, class, transaction id and attributes, to derive another. */
    public Builder toBuilder() {
        Builder b = new Builder(method, stunClass).transactionId(transactionId);
        for (StunAttribute a : attributes) {
            if (!(a instanceof MessageIntegrity || a instanceof MessageIntegritySha256 || a instanceof Fingerprint)) {
                b.attributes.add(a);
            }
        }
        b.integrityKey = integrityKey;
        b.integritySha256Key = integritySha256Key;
        b.fingerprint = fingerprint;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StunMessage m
                && m.method.equals(method) && m.stunClass == stunClass && m.transactionId.equals(transactionId)
                && m.attributes.equals(attributes) && m.fingerprint == fingerprint
                && (m.integrityKey == null) == (integrityKey == null)
                && (m.integritySha256Key == null) == (integritySha256Key == null);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, stunClass, transactionId, attributes);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(96).append(method).append(' ').append(stunClass)
                .append(" tid=").append(transactionId).append(' ').append(attributes);
        if (integrityKey != null) {
            s.append(" +MESSAGE-INTEGRITY");
        }
        if (integritySha256Key != null) {
            s.append(" +MESSAGE-INTEGRITY-SHA256");
        }
        if (fingerprint) {
            s.append(" +FINGERPRINT");
        }
        return s.toString();
    }

    /** Builds a {@link StunMessage}; integrity and fingerprint are requested, not added as attributes. */
    public static final class Builder {
        private final Method method;
        private final StunClass stunClass;
        private TransactionId transactionId;
        private final List<StunAttribute> attributes = new ArrayList<>(8);
        private byte[] integrityKey;
        private byte[] integritySha256Key;
        private boolean fingerprint;

        private Builder(Method method, StunClass stunClass) {
            this.method = Objects.requireNonNull(method, "method");
            this.stunClass = Objects.requireNonNull(stunClass, "stunClass");
        }

        /** Sets the transaction id; a random one is chosen otherwise. */
        public Builder transactionId(TransactionId id) {
            this.transactionId = Objects.requireNonNull(id, "transactionId");
            return this;
        }

        /** Appends attributes in order; MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT are requested instead. */
        public Builder add(StunAttribute... more) {
            for (StunAttribute a : more) {
                Objects.requireNonNull(a, "attribute");
                if (a instanceof MessageIntegrity || a instanceof MessageIntegritySha256 || a instanceof Fingerprint) {
                    throw new IllegalArgumentException(a.type()
                            + " is computed at encode time: use integrity(key), integritySha256(key) or fingerprint()");
                }
                attributes.add(a);
            }
            return this;
        }

        /** Appends attributes in order. */
        public Builder addAll(List<? extends StunAttribute> more) {
            return add(more.toArray(new StunAttribute[0]));
        }

        /** Requests MESSAGE-INTEGRITY (HMAC-SHA1) with the given key (RFC 8489 §14.5). */
        public Builder integrity(byte[] key) {
            this.integrityKey = key.clone();
            return this;
        }

        /** Requests MESSAGE-INTEGRITY-SHA256 (full 32 bytes) with the given key (RFC 8489 §14.6). */
        public Builder integritySha256(byte[] key) {
            this.integritySha256Key = key.clone();
            return this;
        }

        /** Requests FINGERPRINT (RFC 8489 §14.7), always the last attribute. */
        public Builder fingerprint() {
            this.fingerprint = true;
            return this;
        }

        /** The immutable message. */
        public StunMessage build() {
            return new StunMessage(this);
        }
    }
}
