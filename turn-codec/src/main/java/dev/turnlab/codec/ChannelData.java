package dev.turnlab.codec;

import dev.turnlab.codec.attribute.ChannelNumber;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A TURN ChannelData message (RFC 8656 §12.4): a channel number and the application data relayed
 * on that channel, with none of STUN's overhead. It owns its {@link #content()} (the data only, no
 * header or padding): whoever holds the message releases it once.
 */
public final class ChannelData extends DefaultByteBufHolder {

    /** The most application data one message can carry: its length field has 16 bits (RFC 8656 §12.4). */
    public static final int MAX_DATA_LENGTH = 0xFFFF;

    private final int channelNumber;

    /**
     * A message on {@code channelNumber} (0x4000-0x4FFF, RFC 8656 §12) that takes ownership of
     * {@code data}; when the arguments are refused the caller still owns {@code data}.
     */
    public ChannelData(int channelNumber, ByteBuf data) {
        super(checked(channelNumber, data));
        this.channelNumber = channelNumber;
    }

    private static ByteBuf checked(int channelNumber, ByteBuf data) {
        if (channelNumber < ChannelNumber.MIN || channelNumber > ChannelNumber.MAX) {
            throw new IllegalArgumentException(String.format("channelNumber: 0x%04X (expected: 0x4000-0x4FFF)", channelNumber));
        }
        if (data.readableBytes() > MAX_DATA_LENGTH) {
            throw new IllegalArgumentException("data: " + data.readableBytes() + " bytes (expected: at most 65535)");
        }
        return data;
    }

    /** The channel number, 0x4000-0x4FFF (RFC 8656 §12.4). */
    public int channelNumber() {
        return channelNumber;
    }

    @Override
    public ChannelData copy() {
        return (ChannelData) super.copy();
    }

    @Override
    public ChannelData duplicate() {
        return (ChannelData) super.duplicate();
    }

    @Override
    public ChannelData retainedDuplicate() {
        return (ChannelData) super.retainedDuplicate();
    }

    /** A message on the same channel holding {@code content} instead (the holder contract of Netty). */
    @Override
    public ChannelData replace(ByteBuf content) {
        return new ChannelData(channelNumber, content);
    }

    @Override
    public ChannelData retain() {
        super.retain();
        return this;
    }

    @Override
    public ChannelData retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public ChannelData touch() {
        super.touch();
        return this;
    }

    @Override
    public ChannelData touch(Object hint) {
        super.touch(hint);
        return this;
    }

    /** Equal when the channel numbers and the readable bytes of the data are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelData other && other.channelNumber == channelNumber && other.content().equals(content());
    }

    @Override
    public int hashCode() {
        return 31 * channelNumber + content().hashCode();
    }

    /** The channel number and the data's length; never the data, which belongs to the application. */
    @Override
    public String toString() {
        // content() refuses a released buffer, and a log line about a released message must not throw.
        String data = refCnt() > 0 ? content().readableBytes() + " bytes" : "released";
        return String.format("ChannelData(0x%04X, %s)", channelNumber, data);
    }
}
