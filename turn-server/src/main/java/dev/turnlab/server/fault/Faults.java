package dev.turnlab.server.fault;

import dev.turnlab.codec.attribute.ErrorCode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The faults switched on at one moment: immutable, so that a handler reads it once per packet from a
 * volatile field and sees one consistent set. {@link #NONE} is the usual value and the only one without a
 * fault, so the data path asks {@code active != Faults.NONE} and, only then, the questions each fault adds,
 * each a final field answered without a lookup.
 */
public final class Faults {

    /** No fault: the server behaves as configured. */
    public static final Faults NONE = new Faults(new EnumMap<>(Fault.class));

    private final Map<Fault, FaultSetting> settings;
    private final boolean stall;
    private final boolean silentUdp;
    private final boolean silentTcp;
    private final boolean staleNonce;
    private final boolean blockIn;
    private final boolean blockOut;
    private final int lossPerMillion;
    private final FaultSetting.Delay delay;
    private final InetAddress advertise;
    private final ErrorCode answer;
    private final boolean relay;

    private Faults(EnumMap<Fault, FaultSetting> settings) {
        this.settings = Collections.unmodifiableMap(settings);
        this.stall = settings.containsKey(Fault.STALL);
        this.silentUdp = settings.containsKey(Fault.SILENT_UDP);
        this.silentTcp = settings.containsKey(Fault.SILENT_TCP);
        this.staleNonce = settings.containsKey(Fault.STALE_NONCE);
        FaultSetting block = settings.get(Fault.BLOCK_RELAY);
        FaultSetting.Direction d = block == null ? null : block.direction();
        this.blockIn = d == FaultSetting.Direction.IN || d == FaultSetting.Direction.BOTH;
        this.blockOut = d == FaultSetting.Direction.OUT || d == FaultSetting.Direction.BOTH;
        FaultSetting loss = settings.get(Fault.LOSS);
        this.lossPerMillion = loss == null ? 0 : loss.lossPerMillion();
        FaultSetting late = settings.get(Fault.DELAY);
        this.delay = late == null ? null : late.delay();
        FaultSetting advertised = settings.get(Fault.ADVERTISE);
        this.advertise = advertised == null ? null : advertised.address();
        FaultSetting answered = settings.get(Fault.ANSWER);
        this.answer = answered == null ? null : answered.errorCode();
        this.relay = blockIn || blockOut || lossPerMillion > 0 || delay != null;
    }

    /** These faults and {@code setting}, which replaces the value of the same fault. */
    public Faults with(FaultSetting setting) {
        EnumMap<Fault, FaultSetting> next = copy();
        next.put(setting.fault(), setting);
        return new Faults(next);
    }

    /** These faults without {@code fault}; {@link #NONE} once none is left. */
    public Faults without(Fault fault) {
        EnumMap<Fault, FaultSetting> next = copy();
        next.remove(fault);
        return next.isEmpty() ? NONE : new Faults(next);
    }

    /** The faults switched on, in the order of {@link Fault}. */
    public List<FaultSetting> settings() {
        return List.copyOf(settings.values());
    }

    /** The setting of {@code fault}, or null when it is off. */
    public FaultSetting get(Fault fault) {
        return settings.get(fault);
    }

    /** Whether {@code fault} is on. */
    public boolean isOn(Fault fault) {
        return settings.containsKey(fault);
    }

    /** Whether no fault is on. */
    public boolean isEmpty() {
        return settings.isEmpty();
    }

    private EnumMap<Fault, FaultSetting> copy() {
        return settings.isEmpty() ? new EnumMap<>(Fault.class) : new EnumMap<>(settings);
    }

    /** {@code stall}: requests are not answered. */
    public boolean stall() {
        return stall;
    }

    /** {@code silent-udp}: the UDP listener drops what it reads. */
    public boolean silentUdp() {
        return silentUdp;
    }

    /** {@code silent-tcp}: TCP connections drop what they read. */
    public boolean silentTcp() {
        return silentTcp;
    }

    /** {@code stale-nonce}: authenticated requests get 438. */
    public boolean staleNonce() {
        return staleNonce;
    }

    /** Whether any fault acts on relayed data ({@code block-relay}, {@code loss}, {@code delay}): the data path's one question. */
    public boolean relay() {
        return relay;
    }

    /** The error every Allocate gets ({@code answer}), or null. */
    public ErrorCode answer() {
        return answer;
    }

    /** The delay of relayed data, or null. */
    public FaultSetting.Delay delay() {
        return delay;
    }

    /**
     * Whether a datagram relayed toward a peer ({@code toPeer}) or from one is dropped now: blocked in
     * that direction, or lost by the {@code loss} draw.
     */
    public boolean drops(boolean toPeer) {
        if (toPeer ? blockOut : blockIn) {
            return true;
        }
        return lossPerMillion > 0 && ThreadLocalRandom.current().nextInt(1_000_000) < lossPerMillion;
    }

    /** Whether {@code toPeer} traffic is blocked (as opposed to lost by chance). */
    public boolean blocks(boolean toPeer) {
        return toPeer ? blockOut : blockIn;
    }

    /** How long to hold the next datagram, in milliseconds, jitter drawn; 0 without {@code delay}. */
    public long nextDelayMillis() {
        if (delay == null) {
            return 0;
        }
        int j = delay.jitter();
        return j == 0 ? delay.millis() : delay.millis() + ThreadLocalRandom.current().nextInt(-j, j + 1);
    }

    /**
     * The address to put in XOR-RELAYED-ADDRESS for {@code relayed}: the {@code advertise} address with
     * the relay's port when its family matches, else {@code relayed} itself.
     */
    public InetSocketAddress advertised(InetSocketAddress relayed) {
        if (advertise == null || advertise instanceof Inet4Address != relayed.getAddress() instanceof Inet4Address) {
            return relayed;
        }
        return new InetSocketAddress(advertise, relayed.getPort());
    }

    /** The faults as {@code NAME[=VALUE]} separated by spaces, or {@code none}. */
    @Override
    public String toString() {
        if (settings.isEmpty()) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        settings.values().forEach(f -> s.append(s.length() == 0 ? "" : " ").append(f));
        return s.toString();
    }
}
