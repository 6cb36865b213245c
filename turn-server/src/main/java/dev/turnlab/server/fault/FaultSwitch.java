package dev.turnlab.server.fault;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The faults of one server and the switch that changes them. Handlers read {@link #current()}, a volatile
 * field holding an immutable {@link Faults}; switching builds a new snapshot, closes or rebinds listeners
 * for {@code reject-*} and {@code silent-tcp}, publishes it and logs one INFO line per fault that changed,
 * naming where the change came from. Also counts what the faults dropped and bounds the bytes held by
 * {@code delay}.
 */
public final class FaultSwitch {

    private static final Logger LOG = LoggerFactory.getLogger(FaultSwitch.class);

    /** The most bytes {@code delay} holds at once, over all allocations; past it datagrams are dropped. */
    public static final long DEFAULT_DELAY_BUDGET = 16L << 20;

    /** Why a fault dropped a packet: the {@code reason} label of {@code turnlab_fault_dropped_packets_total}. */
    public enum Drop {
        /** A request not answered ({@code stall}). */
        STALL,
        /** A datagram or frame the listener ignored ({@code silent-udp}, {@code silent-tcp}). */
        SILENT,
        /** Relayed data blocked ({@code block-relay}). */
        BLOCK_RELAY,
        /** Relayed data lost by the draw ({@code loss}). */
        LOSS,
        /** Relayed data {@code delay} could not hold within its byte budget. */
        DELAY_OVERFLOW;

        /** The metric label. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private volatile Faults current = Faults.NONE;
    private final ListenerSockets listeners = new ListenerSockets();
    private final LongAdder[] dropped = new LongAdder[Drop.values().length];
    private final AtomicLong delayedBytes = new AtomicLong();
    private final long delayBudget;

    /** A switch with every fault off and the default delay budget. */
    public FaultSwitch() {
        this(DEFAULT_DELAY_BUDGET);
    }

    /** A switch with every fault off whose {@code delay} holds at most {@code delayBudget} bytes. */
    public FaultSwitch(long delayBudget) {
        this.delayBudget = delayBudget;
        for (int i = 0; i < dropped.length; i++) {
            dropped[i] = new LongAdder();
        }
    }

    /** The faults now: the one read of the data path. */
    public Faults current() {
        return current;
    }

    /** The server's listening sockets, which {@code reject-*} and {@code silent-tcp} act on. */
    public ListenerSockets listeners() {
        return listeners;
    }

    /** Switches on the configured faults once the listeners are bound; logs them as coming from start-up. */
    public synchronized void start(Faults configured) {
        listeners.forgetClosed();
        switchOn(configured.settings(), "start-up");
    }

    /**
     * Switches on every setting (replacing the value of one already on) and returns the faults now on.
     * A listener that cannot be rebound leaves its fault on and is an {@link IllegalStateException}. Waits
     * for the listeners to close, bind or stop accepting: not to be called on one of the server's event loops.
     */
    public synchronized Faults switchOn(List<FaultSetting> settings, String origin) {
        Faults next = current;
        for (FaultSetting s : settings) {
            next = next.with(s);
        }
        return publish(next, origin);
    }

    /** Switches on one fault written {@code NAME[=VALUE]}; a bad one is an {@link IllegalArgumentException}. */
    public Faults switchOn(String setting, String origin) {
        return switchOn(List.of(FaultSetting.parse(setting)), origin);
    }

    /** Switches {@code fault} off (nothing happens if it is off) and returns the faults now on. */
    public synchronized Faults switchOff(Fault fault, String origin) {
        return publish(current.without(fault), origin);
    }

    /** Switches every fault off and returns {@link Faults#NONE}. */
    public synchronized Faults switchOffAll(String origin) {
        return publish(Faults.NONE, origin);
    }

    private Faults publish(Faults next, String origin) {
        Faults previous = current;
        // The handlers see the change before the listeners do: a connection accepted once silent-tcp is off
        // must find it off, one accepted while it goes on must find it on.
        current = next;
        try {
            listeners.apply(next);
        } catch (RuntimeException e) {
            current = previous;
            throw e;
        }
        for (Fault f : Fault.values()) {
            FaultSetting was = previous.get(f);
            FaultSetting now = next.get(f);
            if (was == null && now != null) {
                LOG.info("fault on: {} (from {})", now, origin);
            } else if (was != null && now == null) {
                LOG.info("fault off: {} (from {})", was, origin);
            } else if (was != null && !was.equals(now)) {
                LOG.info("fault changed: {} -> {} (from {})", was, now, origin);
            }
        }
        return next;
    }

    /** Counts a packet a fault dropped. */
    public void dropped(Drop reason) {
        dropped[reason.ordinal()].increment();
    }

    /**
     * Takes {@code bytes} of the delay budget; false, counted as {@link Drop#DELAY_OVERFLOW}, when they do
     * not fit. Every byte taken is given back with {@link #releaseDelayed} once the datagram has left.
     */
    boolean reserveDelayed(int bytes) {
        if (delayedBytes.addAndGet(bytes) > delayBudget) {
            delayedBytes.addAndGet(-bytes);
            dropped(Drop.DELAY_OVERFLOW);
            return false;
        }
        return true;
    }

    void releaseDelayed(int bytes) {
        delayedBytes.addAndGet(-bytes);
    }

    /** The bytes {@code delay} holds now. */
    public long delayedBytes() {
        return delayedBytes.get();
    }

    /** The faults on now and the packets they dropped so far. */
    public FaultReport report() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Drop d : Drop.values()) {
            counts.put(d.label(), dropped[d.ordinal()].sum());
        }
        return new FaultReport(current.settings(), counts);
    }

    /** Closes the listening sockets the switch rebound; the server closes the others. */
    public synchronized void close() {
        listeners.close();
    }
}
