package dev.turnlab.server.fault;

import java.util.Locale;

/** The faults a lab can switch on, by the name used on the command line and the admin API. */
public enum Fault {
    /** Requests on every listener are read and never answered: a hung server. */
    STALL(false, ""),
    /** The UDP listener drops everything it reads: a firewall dropping UDP to the TURN port. */
    SILENT_UDP(false, ""),
    /** The TCP listener accepts no connection and drops what open ones send: a firewall dropping TCP. */
    SILENT_TCP(false, ""),
    /** The UDP listener is closed: the kernel answers ICMP port unreachable. */
    REJECT_UDP(false, ""),
    /** The TCP listener is closed: the kernel answers connection attempts with RST. */
    REJECT_TCP(false, ""),
    /** Relay sockets drop what peers send (in), what clients send to peers (out), or both. */
    BLOCK_RELAY(true, "in|out|both"),
    /** XOR-RELAYED-ADDRESS carries this address instead of the relay's: missing NAT reflection. */
    ADVERTISE(true, "ADDR"),
    /** Allocate is answered with this STUN error code. */
    ANSWER(true, "CODE"),
    /** Relayed datagrams are dropped with this probability, in percent, both ways. */
    LOSS(true, "PERCENT"),
    /** Relayed datagrams are held this many milliseconds, optionally plus or minus a jitter, both ways. */
    DELAY(true, "MS[~JITTER]"),
    /** Every request with a valid nonce is answered 438 Stale Nonce with a fresh one. */
    STALE_NONCE(false, "");

    private final boolean takesValue;
    private final String valueSyntax;

    Fault(boolean takesValue, String valueSyntax) {
        this.takesValue = takesValue;
        this.valueSyntax = valueSyntax;
    }

    /** The name on the command line and the admin API, such as {@code silent-udp}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the fault needs a value ({@code NAME=VALUE}); the others take none. */
    public boolean takesValue() {
        return takesValue;
    }

    /** How the fault is written: {@code stall} or {@code loss=PERCENT}. */
    public String syntax() {
        return takesValue ? label() + "=" + valueSyntax : label();
    }

    /** The fault named {@code label}, or an {@link IllegalArgumentException} listing the names. */
    public static Fault named(String label) {
        for (Fault f : values()) {
            if (f.label().equals(label)) {
                return f;
            }
        }
        throw new IllegalArgumentException("fault: " + label + " (expected: one of " + names() + ")");
    }

    /** Every fault's syntax, comma-separated, for help texts and errors. */
    public static String names() {
        StringBuilder s = new StringBuilder();
        for (Fault f : values()) {
            s.append(s.length() == 0 ? "" : ", ").append(f.syntax());
        }
        return s.toString();
    }
}
