package dev.turnlab.codec.netty;

import dev.turnlab.codec.ChannelData;
import dev.turnlab.codec.ChannelDataCodec;
import dev.turnlab.codec.Method;
import dev.turnlab.codec.StunClass;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.StunMessageCodec;
import dev.turnlab.codec.TransactionId;
import dev.turnlab.codec.attribute.ChannelNumber;
import dev.turnlab.codec.attribute.Data;
import dev.turnlab.codec.attribute.Lifetime;
import dev.turnlab.codec.attribute.Nonce;
import dev.turnlab.codec.attribute.Priority;
import dev.turnlab.codec.attribute.Software;
import dev.turnlab.codec.attribute.StunAttribute;
import dev.turnlab.codec.attribute.UnknownAttribute;
import dev.turnlab.codec.attribute.Username;
import dev.turnlab.codec.attribute.XorPeerAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of STUN messages and ChannelData as the bytes a peer would send, written for these
 * tests (the shared attribute generators live on another branch).
 */
final class Frames {

    private Frames() {
    }

    /** One message on the wire, with what a decoder should make of it. */
    sealed interface Frame {
        /** The message as an encoder takes it; ChannelData with its data in a new buffer from {@code alloc}. */
        Object toMessage(ByteBufAllocator alloc);

        /** The bytes of this frame; ChannelData padded to four when {@code padToFour}. */
        byte[] bytes(boolean padToFour);

        /** The value a decoder should produce, comparable with {@link #valueOf(Object)} of its output. */
        Object expected();
    }

    /** A STUN message; expected: what decoding its own bytes gives. */
    record Stun(StunMessage message) implements Frame {
        @Override
        public Object toMessage(ByteBufAllocator alloc) {
            return message;
        }

        @Override
        public byte[] bytes(boolean padToFour) {
            ByteBuf out = Unpooled.buffer();
            StunMessageCodec.encode(message, out);
            byte[] bytes = ByteBufUtil.getBytes(out);
            out.release();
            return bytes;
        }

        @Override
        public Object expected() {
            ByteBuf in = Unpooled.wrappedBuffer(bytes(false));
            StunMessage decoded = StunMessageCodec.decode(in);
            in.release();
            return decoded;
        }
    }

    /** ChannelData as a value without a buffer, for comparisons. */
    record Channel(int number, byte[] data) implements Frame {
        @Override
        public byte[] bytes(boolean padToFour) {
            ByteBuf out = Unpooled.buffer();
            ChannelDataCodec.writeHeader(number, data.length, out);
            out.writeBytes(data);
            if (padToFour) {
                out.writeZero(ChannelDataCodec.padding(data.length));
            }
            byte[] bytes = ByteBufUtil.getBytes(out);
            out.release();
            return bytes;
        }

        @Override
        public Object expected() {
            return this;
        }

        @Override
        public Object toMessage(ByteBufAllocator alloc) {
            return new ChannelData(number, alloc.buffer(data.length).writeBytes(data));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Channel other && other.number == number && Arrays.equals(other.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * number + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return String.format("Channel(0x%04X, %d bytes)", number, data.length);
        }
    }

    /** A decoder's output as a comparable value: ChannelData becomes a {@link Channel}, and is released. */
    static Object valueOf(Object decoded) {
        if (decoded instanceof ChannelData channelData) {
            Channel value = new Channel(channelData.channelNumber(), ByteBufUtil.getBytes(channelData.content()));
            channelData.release();
            return value;
        }
        return decoded;
    }

    /** Frames whose STUN methods may be anything up to 0xFFF: streams frame them all (RFC 8656 §12.5). */
    static Arbitrary<Frame> frames() {
        return frames(0xFFF);
    }

    /**
     * Frames whose STUN methods go up to {@code maxMethod}: datagrams need 0x0FF at most, since
     * RFC 7983 §7 demultiplexes STUN by a first byte of 0-3, which reserves methods above 0x0FF.
     */
    static Arbitrary<Frame> frames(int maxMethod) {
        return Arbitraries.oneOf(stunMessages(maxMethod).map(Stun::new), channelData());
    }

    static Arbitrary<Frame> channelData() {
        Arbitrary<Integer> numbers = Arbitraries.integers().between(ChannelNumber.MIN, ChannelNumber.MAX);
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Combinators.combine(numbers, data).as(Channel::new);
    }

    static Arbitrary<StunMessage> stunMessages(int maxMethod) {
        Arbitrary<Method> methods = Arbitraries.integers().between(0, maxMethod).map(Method::valueOf);
        Arbitrary<StunClass> classes = Arbitraries.of(StunClass.class);
        Arbitrary<TransactionId> ids = Arbitraries.bytes().array(byte[].class)
                .ofSize(TransactionId.LENGTH).map(TransactionId::of);
        Arbitrary<List<StunAttribute>> attributes = attributes().list().ofMaxSize(6);
        Arbitrary<byte[]> integrityKey = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(32).injectNull(0.6);
        Arbitrary<byte[]> sha256Key = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(32).injectNull(0.8);
        Arbitrary<Boolean> fingerprint = Arbitraries.of(true, false);
        return Combinators.combine(methods, classes, ids, attributes, integrityKey, sha256Key, fingerprint)
                .as((method, stunClass, id, list, key, key256, fp) -> {
                    StunMessage.Builder b = StunMessage.builder(method, stunClass).transactionId(id).addAll(list);
                    if (key != null) {
                        b.integrity(key);
                    }
                    if (key256 != null) {
                        b.integritySha256(key256);
                    }
                    if (fp) {
                        b.fingerprint();
                    }
                    return b.build();
                });
    }

    static Arbitrary<StunAttribute> attributes() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40);
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        return Arbitraries.oneOf(
                text.map(Software::new),
                text.map(Username::new),
                text.map(Nonce::new),
                bytes.map(Data::new),
                Arbitraries.integers().between(0, 0xFFFF).map(ChannelNumber::new),
                Arbitraries.longs().between(0, 0xFFFFFFFFL).map(Lifetime::ofSeconds),
                Arbitraries.longs().between(0, 0xFFFFFFFFL).map(Priority::new),
                peerAddresses().map(XorPeerAddress::new),
                // Comprehension-optional codes nobody registered: kept as they are.
                Combinators.combine(Arbitraries.integers().between(0xC000, 0xC0FF), bytes).as(UnknownAttribute::new));
    }

    static Arbitrary<InetSocketAddress> peerAddresses() {
        Arbitrary<byte[]> address = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.bytes().array(byte[].class).ofSize(16));
        return Combinators.combine(address, Arbitraries.integers().between(0, 0xFFFF)).as((a, port) -> {
            try {
                return new InetSocketAddress(InetAddress.getByAddress(a), port);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Bytes that look like what arrives from a hostile or broken peer: random bytes, or a valid
     * frame with a few bytes changed, cut short or extended, so that decoding goes deep.
     */
    static Arbitrary<byte[]> junk(int maxMethod) {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(120);
        Arbitrary<byte[]> mutated = Combinators.combine(frames(maxMethod), Arbitraries.of(true, false), mutations().list().ofMaxSize(4))
                .as((frame, pad, mutations) -> {
                    byte[] bytes = frame.bytes(pad);
                    for (Mutation m : mutations) {
                        bytes = m.apply(bytes);
                    }
                    return bytes;
                });
        return Arbitraries.frequencyOf(Tuple.of(1, random), Tuple.of(3, mutated));
    }

    /** One change to a byte string: overwrite a byte, cut it at a point, or append bytes. */
    record Mutation(int kind, int position, byte value) {
        byte[] apply(byte[] bytes) {
            if (bytes.length == 0) {
                return new byte[] {value};
            }
            int at = Math.floorMod(position, bytes.length);
            switch (kind) {
                case 0 -> {
                    byte[] copy = bytes.clone();
                    copy[at] = value;
                    return copy;
                }
                case 1 -> {
                    return Arrays.copyOf(bytes, at);
                }
                default -> {
                    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1 + (position & 7));
                    Arrays.fill(longer, bytes.length, longer.length, value);
                    return longer;
                }
            }
        }
    }

    static Arbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers(), Arbitraries.bytes())
                .as(Mutation::new);
    }
}
