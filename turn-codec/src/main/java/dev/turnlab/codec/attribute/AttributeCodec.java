package dev.turnlab.codec.attribute;

import dev.turnlab.codec.TransactionId;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure encode and decode of one attribute's type-length-value (RFC 8489 §14). Values are padded to
 * a multiple of four bytes; the length field holds the unpadded length. Malformed values raise
 * {@link IllegalArgumentException} with a reason, which the message decoder turns into its codec
 * exception. Neither function releases or retains a buffer.
 */
public final class AttributeCodec {

    // EVEN-PORT's R flag, the top bit of its one-byte value (RFC 8656 §18.7).
    private static final int EVEN_PORT_R = 0x80;

    private AttributeCodec() {
    }

    /**
     * Decodes the value of an attribute of type {@code code} from the next {@code length} bytes of
     * {@code in}, advancing the reader index by exactly {@code length}.
     */
    public static StunAttribute decode(int code, ByteBuf in, int length, TransactionId tid) {
        int end = in.readerIndex() + length;
        StunAttribute attribute = decodeValue(code, in, length, tid);
        if (in.readerIndex() != end) {
            throw new IllegalArgumentException(AttributeType.valueOf(code) + ": " + length + " bytes (expected: "
                    + (in.readerIndex() - end + length) + ")");
        }
        return attribute;
    }

    private static StunAttribute decodeValue(int code, ByteBuf in, int length, TransactionId tid) {
        switch (code) {
            case 0x0001: return new MappedAddress(AddressCodec.decode(in, length, false, tid, code));
            case 0x0002: return new ResponseAddress(AddressCodec.decode(in, length, false, tid, code));
            case 0x0003: return changeRequest(fixed(in, length, 4, "CHANGE-REQUEST").readInt());
            case 0x0004: return new SourceAddress(AddressCodec.decode(in, length, false, tid, code));
            case 0x0005: return new ChangedAddress(AddressCodec.decode(in, length, false, tid, code));
            case 0x0006: return new Username(string(in, length));
            case 0x0007: return new Password(string(in, length));
            case 0x0008: return new MessageIntegrity(bytes(in, length));
            case 0x0009: return errorCode(in, length);
            case 0x000A: return unknownAttributes(in, length);
            case 0x000B: return new ReflectedFrom(AddressCodec.decode(in, length, false, tid, code));
            case 0x000C: return new ChannelNumber(fixed(in, length, 4, "CHANNEL-NUMBER").readUnsignedShort() + skip(in, 2));
            case 0x000D: return new Lifetime(Duration.ofSeconds(fixed(in, length, 4, "LIFETIME").readUnsignedInt()));
            case 0x0012: return new XorPeerAddress(AddressCodec.decode(in, length, true, tid, code));
            case 0x0013: return Data.wrap(bytes(in, length));
            case 0x0014: return new Realm(string(in, length));
            case 0x0015: return new Nonce(string(in, length));
            case 0x0016: return new XorRelayedAddress(AddressCodec.decode(in, length, true, tid, code));
            case 0x0017: return new RequestedAddressFamily(family(in, length, "REQUESTED-ADDRESS-FAMILY"));
            case 0x0018: return new EvenPort((fixed(in, length, 1, "EVEN-PORT").readUnsignedByte() & EVEN_PORT_R) != 0);
            case 0x0019: return new RequestedTransport(fixed(in, length, 4, "REQUESTED-TRANSPORT").readUnsignedByte() + skip(in, 3));
            case 0x001A: fixed(in, length, 0, "DONT-FRAGMENT"); return DontFragment.INSTANCE;
            case 0x001C: return new MessageIntegritySha256(bytes(in, length));
            case 0x001D: return passwordAlgorithm(in, length);
            case 0x001E: return new UserHash(bytes(in, length));
            case 0x0020: return new XorMappedAddress(AddressCodec.decode(in, length, true, tid, code));
            case 0x0022: return new ReservationToken(fixed(in, length, 8, "RESERVATION-TOKEN").readLong());
            case 0x0024: return new Priority(fixed(in, length, 4, "PRIORITY").readUnsignedInt());
            case 0x0025: fixed(in, length, 0, "USE-CANDIDATE"); return UseCandidate.INSTANCE;
            case 0x0026: return new Padding(length + skip(in, length));
            case 0x0027: return new ResponsePort(fixed(in, length, 4, "RESPONSE-PORT").readUnsignedShort() + skip(in, 2));
            case 0x002A: return new ConnectionId(fixed(in, length, 4, "CONNECTION-ID").readInt());
            case 0x8000: return new AdditionalAddressFamily(family(in, length, "ADDITIONAL-ADDRESS-FAMILY"));
            case 0x8001: return addressErrorCode(in, length);
            case 0x8002: return passwordAlgorithms(in, length);
            case 0x8003: return new AlternateDomain(string(in, length));
            case 0x8004: return icmp(in, length);
            case 0x8022: return new Software(string(in, length));
            case 0x8023: return new AlternateServer(AddressCodec.decode(in, length, false, tid, code));
            case 0x8028: return new Fingerprint(fixed(in, length, 4, "FINGERPRINT").readInt());
            case 0x8029: return new IceControlled(fixed(in, length, 8, "ICE-CONTROLLED").readLong());
            case 0x802A: return new IceControlling(fixed(in, length, 8, "ICE-CONTROLLING").readLong());
            case 0x802B: return new ResponseOrigin(AddressCodec.decode(in, length, false, tid, code));
            case 0x802C: return new OtherAddress(AddressCodec.decode(in, length, false, tid, code));
            default: return new UnknownAttribute(code, bytes(in, length));
        }
    }

    /** Writes the attribute's header, value and zero padding. */
    public static void encode(StunAttribute attribute, ByteBuf out, TransactionId tid) {
        encode(attribute, out, tid, (byte) 0);
    }

    /**
     * Writes the attribute's header, value and padding made of {@code paddingByte}: RFC 8489 §14
     * lets padding hold any value, and the RFC 5769 vectors pad with 0x20.
     */
    public static void encode(StunAttribute attribute, ByteBuf out, TransactionId tid, byte paddingByte) {
        int code = attribute instanceof UnknownAttribute u ? u.code() : attribute.type().code();
        out.writeShort(code);
        int lengthIndex = out.writerIndex();
        out.writeShort(0);
        int start = out.writerIndex();
        encodeValue(attribute, out, tid);
        int length = out.writerIndex() - start;
        if (length > 0xFFFF) {
            throw new IllegalArgumentException(attribute.type() + ": " + length + " bytes (expected: at most 65535)");
        }
        out.setShort(lengthIndex, length);
        for (int i = padding(length); i > 0; i--) {
            out.writeByte(paddingByte);
        }
    }

    private static void encodeValue(StunAttribute a, ByteBuf out, TransactionId tid) {
        if (a instanceof UnknownAttribute u) {
            out.writeBytes(u.unsafeValue());
        } else if (a instanceof MappedAddress m) {
            AddressCodec.encode(m.address(), out, false, tid);
        } else if (a instanceof XorMappedAddress m) {
            AddressCodec.encode(m.address(), out, true, tid);
        } else if (a instanceof XorPeerAddress m) {
            AddressCodec.encode(m.address(), out, true, tid);
        } else if (a instanceof XorRelayedAddress m) {
            AddressCodec.encode(m.address(), out, true, tid);
        } else if (a instanceof Username s) {
            out.writeCharSequence(s.value(), StandardCharsets.UTF_8);
        } else if (a instanceof Realm s) {
            out.writeCharSequence(s.value(), StandardCharsets.UTF_8);
        } else if (a instanceof Nonce s) {
            out.writeCharSequence(s.value(), StandardCharsets.UTF_8);
        } else if (a instanceof Software s) {
            out.writeCharSequence(s.value(), StandardCharsets.UTF_8);
        } else if (a instanceof ErrorCode e) {
            out.writeShort(0);
            out.writeByte(e.code() / 100);
            out.writeByte(e.code() % 100);
            out.writeCharSequence(e.reason(), StandardCharsets.UTF_8);
        } else if (a instanceof MessageIntegrity m) {
            out.writeBytes(m.unsafeValue());
        } else if (a instanceof MessageIntegritySha256 m) {
            out.writeBytes(m.unsafeValue());
        } else if (a instanceof PasswordAlgorithm p) {
            writePasswordAlgorithm(p, out, false);
        } else if (a instanceof PasswordAlgorithms list) {
            for (PasswordAlgorithm p : list.algorithms()) {
                writePasswordAlgorithm(p, out, true);
            }
        } else if (a instanceof UserHash h) {
            out.writeBytes(h.unsafeValue());
        } else if (a instanceof Data d) {
            d.writeTo(out);
        } else if (a instanceof Fingerprint f) {
            out.writeInt(f.crc());
        } else if (a instanceof ChannelNumber c) {
            out.writeShort(c.number());
            out.writeShort(0);
        } else if (a instanceof Lifetime l) {
            out.writeInt((int) l.seconds());
        } else if (a instanceof RequestedTransport t) {
            out.writeByte(t.protocol());
            out.writeMedium(0);
        } else if (a instanceof Priority p) {
            out.writeInt((int) p.priority());
        } else if (a instanceof IceControlled c) {
            out.writeLong(c.tieBreaker());
        } else if (a instanceof IceControlling c) {
            out.writeLong(c.tieBreaker());
        } else if (a instanceof UseCandidate) {
            return;
        } else {
            encodeRarerValue(a, out, tid);
        }
    }

    // The attributes of RFC 3489, 5780, 6062 and the less common ones of RFC 8489 and 8656.
    private static void encodeRarerValue(StunAttribute a, ByteBuf out, TransactionId tid) {
        if (a instanceof UnknownAttributes u) {
            for (int code : u.codes()) {
                out.writeShort(code);
            }
        } else if (a instanceof AlternateServer s) {
            AddressCodec.encode(s.address(), out, false, tid);
        } else if (a instanceof AlternateDomain d) {
            out.writeCharSequence(d.value(), StandardCharsets.UTF_8);
        } else if (a instanceof RequestedAddressFamily f) {
            out.writeByte(f.family().code());
            out.writeMedium(0);
        } else if (a instanceof AdditionalAddressFamily f) {
            out.writeByte(f.family().code());
            out.writeMedium(0);
        } else if (a instanceof EvenPort e) {
            out.writeByte(e.reserve() ? EVEN_PORT_R : 0);
        } else if (a instanceof DontFragment) {
            return;
        } else if (a instanceof ReservationToken t) {
            out.writeLong(t.token());
        } else if (a instanceof AddressErrorCode e) {
            out.writeByte(e.family().code());
            out.writeByte(0);
            out.writeByte(e.code() / 100);
            out.writeByte(e.code() % 100);
            out.writeCharSequence(e.reason(), StandardCharsets.UTF_8);
        } else if (a instanceof Icmp i) {
            out.writeShort(0);
            out.writeByte(i.icmpType());
            out.writeByte(i.icmpCode());
            out.writeInt(i.errorData());
        } else if (a instanceof ConnectionId c) {
            out.writeInt(c.id());
        } else if (a instanceof ChangeRequest c) {
            out.writeInt(c.flags());
        } else if (a instanceof ResponsePort p) {
            out.writeShort(p.port());
            out.writeShort(0);
        } else if (a instanceof Padding p) {
            out.writeZero(p.length());
        } else if (a instanceof ResponseOrigin r) {
            AddressCodec.encode(r.address(), out, false, tid);
        } else if (a instanceof OtherAddress o) {
            AddressCodec.encode(o.address(), out, false, tid);
        } else if (a instanceof ResponseAddress r) {
            AddressCodec.encode(r.address(), out, false, tid);
        } else if (a instanceof ChangedAddress c) {
            AddressCodec.encode(c.address(), out, false, tid);
        } else if (a instanceof SourceAddress s) {
            AddressCodec.encode(s.address(), out, false, tid);
        } else if (a instanceof ReflectedFrom r) {
            AddressCodec.encode(r.address(), out, false, tid);
        } else if (a instanceof Password p) {
            out.writeCharSequence(p.value(), StandardCharsets.UTF_8);
        } else {
            throw new IllegalArgumentException("no encoder for " + a.getClass().getName());
        }
    }

    /** The number of zero bytes that pad a value of {@code length} bytes to a multiple of four. */
    public static int padding(int length) {
        return -length & 3;
    }

    private static ErrorCode errorCode(ByteBuf in, int length) {
        if (length < 4) {
            throw new IllegalArgumentException("ERROR-CODE: " + length + " bytes (expected: at least 4)");
        }
        in.skipBytes(2);
        return new ErrorCode(classAndNumber(in, "ERROR-CODE"), string(in, length - 4));
    }

    private static AddressErrorCode addressErrorCode(ByteBuf in, int length) {
        if (length < 4) {
            throw new IllegalArgumentException("ADDRESS-ERROR-CODE: " + length + " bytes (expected: at least 4)");
        }
        AddressFamily family = AddressFamily.valueOf(in.readUnsignedByte(), "ADDRESS-ERROR-CODE");
        in.skipBytes(1);
        return new AddressErrorCode(family, classAndNumber(in, "ADDRESS-ERROR-CODE"), string(in, length - 4));
    }

    /** The error code held in a class byte (its low 3 bits, 3-6) and a number byte (0-99), RFC 8489 §14.8. */
    private static int classAndNumber(ByteBuf in, String name) {
        int hundreds = in.readUnsignedByte() & 0x07;
        int number = in.readUnsignedByte();
        if (hundreds < 3 || hundreds > 6 || number > 99) {
            throw new IllegalArgumentException(name + ": class " + hundreds + " number " + number
                    + " (expected: class 3-6, number 0-99)");
        }
        return hundreds * 100 + number;
    }

    private static UnknownAttributes unknownAttributes(ByteBuf in, int length) {
        if ((length & 1) != 0) {
            throw new IllegalArgumentException("UNKNOWN-ATTRIBUTES: " + length + " bytes (expected: a multiple of 2)");
        }
        Integer[] codes = new Integer[length / 2];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = in.readUnsignedShort();
        }
        return UnknownAttributes.of(codes);
    }

    private static AddressFamily family(ByteBuf in, int length, String name) {
        AddressFamily family = AddressFamily.valueOf(fixed(in, length, 4, name).readUnsignedByte(), name);
        in.skipBytes(3);
        return family;
    }

    private static ChangeRequest changeRequest(int flags) {
        return new ChangeRequest((flags & ChangeRequest.CHANGE_IP) != 0, (flags & ChangeRequest.CHANGE_PORT) != 0);
    }

    private static Icmp icmp(ByteBuf in, int length) {
        fixed(in, length, 8, "ICMP").skipBytes(2);
        return new Icmp(in.readUnsignedByte(), in.readUnsignedByte(), in.readInt());
    }

    // RFC 8489 §14.11, §14.12: algorithm, parameters length, parameters padded to four bytes. A
    // lone PASSWORD-ALGORITHM leaves the padding to the attribute's own; in a list each entry pads.
    private static void writePasswordAlgorithm(PasswordAlgorithm p, ByteBuf out, boolean padded) {
        byte[] parameters = p.unsafeParameters();
        out.writeShort(p.algorithm());
        out.writeShort(parameters.length);
        out.writeBytes(parameters);
        if (padded) {
            out.writeZero(padding(parameters.length));
        }
    }

    private static PasswordAlgorithm passwordAlgorithm(ByteBuf in, int length) {
        PasswordAlgorithm p = readPasswordAlgorithm(in, length, "PASSWORD-ALGORITHM");
        int rest = length - 4 - p.unsafeParameters().length;
        // The value may or may not count the parameters' padding (§14.12 draws it inside the value).
        if (rest != 0 && rest != padding(p.unsafeParameters().length)) {
            throw new IllegalArgumentException("PASSWORD-ALGORITHM: " + length + " bytes for " + p.unsafeParameters().length
                    + " bytes of parameters");
        }
        in.skipBytes(rest);
        return p;
    }

    private static PasswordAlgorithms passwordAlgorithms(ByteBuf in, int length) {
        List<PasswordAlgorithm> algorithms = new ArrayList<>(2);
        int end = in.readerIndex() + length;
        while (in.readerIndex() < end) {
            PasswordAlgorithm p = readPasswordAlgorithm(in, end - in.readerIndex(), "PASSWORD-ALGORITHMS");
            // The last entry's padding may be left to the attribute's own padding.
            in.skipBytes(Math.min(padding(p.unsafeParameters().length), end - in.readerIndex()));
            algorithms.add(p);
        }
        return new PasswordAlgorithms(algorithms);
    }

    private static PasswordAlgorithm readPasswordAlgorithm(ByteBuf in, int available, String name) {
        if (available < 4) {
            throw new IllegalArgumentException(name + ": " + available + " bytes left for an algorithm (expected: at least 4)");
        }
        int algorithm = in.readUnsignedShort();
        int parametersLength = in.readUnsignedShort();
        if (parametersLength > available - 4) {
            throw new IllegalArgumentException(name + ": parameters of " + parametersLength + " bytes, "
                    + (available - 4) + " left");
        }
        return new PasswordAlgorithm(algorithm, bytes(in, parametersLength));
    }

    private static ByteBuf fixed(ByteBuf in, int length, int expected, String name) {
        if (length != expected) {
            throw new IllegalArgumentException(name + ": " + length + " bytes (expected: " + expected + ")");
        }
        return in;
    }

    private static int skip(ByteBuf in, int n) {
        in.skipBytes(n);
        return 0;
    }

    private static String string(ByteBuf in, int length) {
        String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return s;
    }

    private static byte[] bytes(ByteBuf in, int length) {
        byte[] b = new byte[length];
        in.readBytes(b);
        return b;
    }
}
