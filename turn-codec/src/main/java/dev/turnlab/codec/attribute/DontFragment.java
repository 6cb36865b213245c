package dev.turnlab.codec.attribute;

/** DONT-FRAGMENT (RFC 8656 §18.9): set the DF bit on relayed UDP datagrams; no value. */
public record DontFragment() implements StunAttribute {

    /** The one value. */
    public static final DontFragment INSTANCE = new DontFragment();

    @Override
    public AttributeType type() {
        return AttributeType.DONT_FRAGMENT;
    }
}
