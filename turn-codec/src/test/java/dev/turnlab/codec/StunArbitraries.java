package dev.turnlab.codec;

import dev.turnlab.codec.attribute.AdditionalAddressFamily;
import dev.turnlab.codec.attribute.AddressErrorCode;
import dev.turnlab.codec.attribute.AddressFamily;
import dev.turnlab.codec.attribute.AlternateDomain;
import dev.turnlab.codec.attribute.AlternateServer;
import dev.turnlab.codec.attribute.AttributeType;
import dev.turnlab.codec.attribute.ChangeRequest;
import dev.turnlab.codec.attribute.ChangedAddress;
import dev.turnlab.codec.attribute.ChannelNumber;
import dev.turnlab.codec.attribute.ConnectionId;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.DontFragment;
import dev.turnlab.codec.attribute.ErrorCode;
import dev.turnlab.codec.attribute.EvenPort;
import dev.turnlab.codec.attribute.Fingerprint;
import dev.turnlab.codec.attribute.IceControlled;
import dev.turnlab.codec.attribute.IceControlling;
import dev.turnlab.codec.attribute.Icmp;
import dev.turnlab.codec.attribute.Lifetime;
import dev.turnlab.codec.attribute.MappedAddress;
import dev.turnlab.codec.attribute.MessageIntegrity;
import dev.turnlab.codec.attribute.MessageIntegritySha256;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.OtherAddress;
import dev.turnlab.codec.attribute.Padding;
import dev.turnlab.codec.attribute.PasswordAlgorithm;
import dev.turnlab.codec.attribute.PasswordAlgorithms;
import dev.turnlab.codec.attribute.Password;
import dev.turnlab.codec.attribute.Priority;
import dev.turnlab.codec.attribute.Realm;
import dev.turnlab.codec.attribute.ReflectedFrom;
import dev.turnlab.codec.attribute.RequestedAddressFamily;
import dev.turnlab.codec.attribute.RequestedTransport;
import dev.turnlab.codec.attribute.ReservationToken;
import dev.turnlab.codec.attribute.ResponseAddress;
import dev.turnlab.codec.attribute.ResponseOrigin;
import dev.turnlab.codec.attribute.ResponsePort;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.SourceAddress;
import dev.turnlab.codec.attribute.StunAttribute;
import dev.turnlab.codec.attribute.UnknownAttribute;
import dev.turnlab.codec.attribute.UnknownAttributes;
import dev.turnlab.codec.attribute.UseCandidate;
import dev.turnlab.codec.attribute.UserHash;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.attribute.XorMappedAddress;
import dev.turnlab.codec.attribute.XorPeerAddress;
import dev.turnlab.codec.attribute.XorRelayedAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators for STUN values, shared by every module's properties: attributes of every
 * record, messages of any method, class and transaction id, and bytes that are almost messages.
 * Sizes stay small enough that a message never outgrows the 16-bit length field.
 */
public final class StunArbitraries {

    /** The most attributes {@link #message()} puts in one message. */
    public static final int MAX_ATTRIBUTES = 12;

    // Every code AttributeType registers; a filter over all 65536 codes would miss too often.
    private static final List<Integer> REGISTERED_CODES =
            IntStream.rangeClosed(0, 0xFFFF).filter(AttributeType::isKnown).boxed().toList();

    private StunArbitraries() {
    }

    /** Any attribute record, including MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT, which a message builder refuses. */
    public static Arbitrary<StunAttribute> attribute() {
        List<Arbitrary<? extends StunAttribute>> all = new ArrayList<>(builderAttributes());
        all.add(bytes(20, 20).map(MessageIntegrity::new));
        all.add(Arbitraries.integers().between(4, 8).flatMap(words -> bytes(4 * words, 4 * words))
                .map(MessageIntegritySha256::new));
        all.add(Arbitraries.integers().map(Fingerprint::new));
        return Arbitraries.oneOf(all);
    }

    /** Any attribute a message builder accepts: every record but the integrity and fingerprint ones. */
    public static Arbitrary<StunAttribute> builderAttribute() {
        return Arbitraries.oneOf(builderAttributes());
    }

    private static List<Arbitrary<? extends StunAttribute>> builderAttributes() {
        List<Arbitrary<? extends StunAttribute>> a = new ArrayList<>(48);
        Arbitrary<InetSocketAddress> address = socketAddress();
        a.add(address.map(MappedAddress::new));
        a.add(address.map(XorMappedAddress::new));
        a.add(address.map(XorPeerAddress::new));
        a.add(address.map(XorRelayedAddress::new));
        a.add(address.map(AlternateServer::new));
        a.add(address.map(ResponseOrigin::new));
        a.add(address.map(OtherAddress::new));
        a.add(address.map(ResponseAddress::new));
        a.add(address.map(ChangedAddress::new));
        a.add(address.map(SourceAddress::new));
        a.add(address.map(ReflectedFrom::new));
        Arbitrary<String> text = text(48);
        a.add(text.map(Username::new));
        a.add(text.map(Realm::new));
        a.add(text.map(Nonce::new));
        a.add(text.map(Software::new));
        a.add(text.map(AlternateDomain::new));
        a.add(text.map(Password::new));
        a.add(Combinators.combine(errorCodeNumber(), text).as(ErrorCode::new));
        a.add(Combinators.combine(Arbitraries.of(AddressFamily.class), errorCodeNumber(), text).as(AddressErrorCode::new));
        a.add(bytes(32, 32).map(UserHash::new));
        a.add(bytes(0, 1200).map(Data::new));
        a.add(Combinators.combine(unknownAttributeCode(), bytes(0, 40)).as(UnknownAttribute::new));
        a.add(Arbitraries.integers().between(0, 0xFFFF).list().ofMaxSize(9).map(UnknownAttributes::new));
        a.add(Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(Priority::new));
        a.add(Arbitraries.longs().map(IceControlled::new));
        a.add(Arbitraries.longs().map(IceControlling::new));
        a.add(Arbitraries.just(UseCandidate.INSTANCE));
        a.add(Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(Lifetime::ofSeconds));
        a.add(Arbitraries.integers().between(0, 0xFFFF).map(ChannelNumber::new));
        a.add(Arbitraries.integers().between(0, 255).map(RequestedTransport::new));
        a.add(Arbitraries.of(AddressFamily.class).map(RequestedAddressFamily::new));
        a.add(Arbitraries.of(AddressFamily.class).map(AdditionalAddressFamily::new));
        a.add(Arbitraries.of(true, false).map(EvenPort::new));
        a.add(Arbitraries.just(DontFragment.INSTANCE));
        a.add(Arbitraries.longs().map(ReservationToken::new));
        a.add(Combinators.combine(octet(), octet(), Arbitraries.integers()).as(Icmp::new));
        a.add(Arbitraries.integers().map(ConnectionId::new));
        a.add(Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false)).as(ChangeRequest::new));
        a.add(Arbitraries.integers().between(0, 0xFFFF).map(ResponsePort::new));
        a.add(Arbitraries.integers().between(0, 300).map(Padding::new));
        Arbitrary<PasswordAlgorithm> algorithm = Combinators
                .combine(Arbitraries.integers().between(0, 0xFFFF), bytes(0, 11)).as(PasswordAlgorithm::new);
        a.add(algorithm);
        a.add(algorithm.list().ofMinSize(1).ofMaxSize(4).map(PasswordAlgorithms::new));
        return a;
    }

    /**
     * An attribute of any code, registered or not, holding raw bytes: encoded as is, it puts random
     * values (often of the wrong length) in front of each attribute decoder.
     */
    public static Arbitrary<UnknownAttribute> rawAttribute() {
        Arbitrary<Integer> registered = Arbitraries.of(REGISTERED_CODES);
        Arbitrary<Integer> code = Arbitraries.frequencyOf(Tuple.of(4, registered), Tuple.of(1, unknownAttributeCode()));
        Arbitrary<byte[]> value = Arbitraries.frequencyOf(Tuple.of(3, bytes(0, 24)), Tuple.of(1, validAddressValue()));
        return Combinators.combine(code, value).as(UnknownAttribute::new);
    }

    // An address value with a correct family and length, so raw address attributes often decode.
    private static Arbitrary<byte[]> validAddressValue() {
        return Combinators.combine(Arbitraries.of(1, 2), bytes(18, 18)).as((family, rest) -> {
            byte[] v = new byte[family == 1 ? 8 : 20];
            System.arraycopy(rest, 0, v, 2, v.length - 2);
            v[1] = (byte) (int) family;
            return v;
        });
    }

    /** A code no attribute record claims, so it decodes as {@link UnknownAttribute}. */
    public static Arbitrary<Integer> unknownAttributeCode() {
        return Arbitraries.integers().between(0, 0xFFFF).filter(code -> !AttributeType.isKnown(code))
                .edgeCases(edges -> edges.includeOnly(0x0000, 0x7FFF, 0xFFFF));
    }

    /** A message without integrity or fingerprint requests: decoding its encoding gives it back. */
    public static Arbitrary<StunMessage> plainMessage() {
        return Combinators.combine(method(), Arbitraries.of(StunClass.class), transactionId(),
                builderAttribute().list().ofMaxSize(MAX_ATTRIBUTES)).as((method, stunClass, tid, attributes) ->
                StunMessage.builder(method, stunClass).transactionId(tid).addAll(attributes).build());
    }

    /**
     * A plain message with up to six raw attributes of registered or unknown codes mixed in, whose values need
     * not be what their type requires: what a decoder must refuse or read the same way wherever it reads.
     */
    public static Arbitrary<StunMessage> rawMessage() {
        return Combinators.combine(plainMessage(), rawAttribute().list().ofMaxSize(6)).as((m, raw) -> {
            List<StunAttribute> mixed = new ArrayList<>(m.attributes());
            mixed.addAll(raw);
            return StunMessage.builder(m.method(), m.stunClass()).transactionId(m.transactionId()).addAll(mixed).build();
        });
    }

    /** A message that may also request MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT. */
    public static Arbitrary<StunMessage> message() {
        // Two optional keys and a coin are all absent in about 1 sample of 1000: weight plain messages
        // in explicitly, or a sample of 2000 may hold none (StunArbitrariesTest failed about 1 run in 5).
        Arbitrary<StunMessage> withRequests = Combinators.combine(plainMessage(), key().optional(), key().optional(),
                Arbitraries.of(true, false)).as(StunArbitraries::withRequests);
        return Arbitraries.frequencyOf(Tuple.of(1, plainMessage()), Tuple.of(3, withRequests));
    }

    private static StunMessage withRequests(StunMessage m, Optional<byte[]> sha1, Optional<byte[]> sha256,
            boolean fingerprint) {
        StunMessage.Builder b = m.toBuilder();
        sha1.ifPresent(b::integrity);
        sha256.ifPresent(b::integritySha256);
        return fingerprint ? b.fingerprint().build() : b.build();
    }

    /** A key for MESSAGE-INTEGRITY: empty, 16 bytes like an MD5 long-term key, 32 like SHA-256, or other. */
    public static Arbitrary<byte[]> key() {
        return Arbitraries.oneOf(bytes(16, 16), bytes(32, 32), bytes(0, 64));
    }

    /** A registered method or any other 12-bit method code. */
    public static Arbitrary<Method> method() {
        Arbitrary<Method> known = Arbitraries.of(Method.BINDING, Method.ALLOCATE, Method.REFRESH, Method.SEND,
                Method.DATA, Method.CREATE_PERMISSION, Method.CHANNEL_BIND, Method.CONNECT, Method.CONNECTION_BIND,
                Method.CONNECTION_ATTEMPT);
        return Arbitraries.oneOf(known, Arbitraries.integers().between(0, 0xFFF).map(Method::valueOf));
    }

    /**
     * A 96-bit id, or now and then a 128-bit RFC 3489 one. A classic id that starts with the magic
     * cookie is left out: on the wire it is indistinguishable from an RFC 8489 header.
     */
    public static Arbitrary<TransactionId> transactionId() {
        Arbitrary<byte[]> classic = bytes(16, 16).filter(b -> Unpooled.wrappedBuffer(b).getInt(0) != StunMessageCodec.MAGIC_COOKIE);
        return Arbitraries.frequencyOf(Tuple.of(4, bytes(12, 12)), Tuple.of(1, classic)).map(TransactionId::of);
    }

    /** A resolved IPv4 or IPv6 socket address with any port. */
    public static Arbitrary<InetSocketAddress> socketAddress() {
        Arbitrary<InetAddress> ip = Arbitraries.oneOf(bytes(4, 4), bytes(16, 16)).map(StunArbitraries::inetAddress);
        return Combinators.combine(ip, Arbitraries.integers().between(0, 0xFFFF)).as(InetSocketAddress::new);
    }

    /**
     * Text of up to {@code maxCodePoints} code points, mostly ASCII, with any other code point
     * (supplementary ones as surrogate pairs, never a lone surrogate), so UTF-8 round-trips it.
     */
    public static Arbitrary<String> text(int maxCodePoints) {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(2, Arbitraries.integers().between(0, 0xD7FF)),
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0x10FFFF)));
        return codePoint.list().ofMaxSize(maxCodePoints).map(cps -> {
            StringBuilder s = new StringBuilder(cps.size());
            cps.forEach(s::appendCodePoint);
            return s.toString();
        });
    }

    /** Bytes that look like a STUN message: a header with top bits zero, a consistent length and random attributes. */
    public static Arbitrary<byte[]> plausibleJunk() {
        Arbitrary<Integer> type = Arbitraries.integers().between(0, 0x3FFF);
        return Combinators.combine(type, Arbitraries.of(true, false), bytes(16, 16),
                Arbitraries.integers().between(0, 64).map(words -> words * 4).flatMap(n -> bytes(n, n)))
                .as((t, cookie, tid, body) -> {
                    ByteBuf b = Unpooled.buffer(20 + body.length);
                    b.writeShort(t).writeShort(body.length);
                    if (cookie) {
                        b.writeInt(StunMessageCodec.MAGIC_COOKIE).writeBytes(tid, 0, 12);
                    } else {
                        b.writeBytes(tid);
                    }
                    byte[] out = new byte[b.writeBytes(body).readableBytes()];
                    b.readBytes(out).release();
                    return out;
                });
    }

    /** Any bytes at all, up to 600 of them. */
    public static Arbitrary<byte[]> junk() {
        return bytes(0, 600);
    }

    /** Arrays of {@code min} to {@code max} arbitrary bytes. */
    public static Arbitrary<byte[]> bytes(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
    }

    private static Arbitrary<Integer> errorCodeNumber() {
        return Arbitraries.integers().between(300, 699);
    }

    private static Arbitrary<Integer> octet() {
        return Arbitraries.integers().between(0, 255);
    }

    private static InetAddress inetAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
