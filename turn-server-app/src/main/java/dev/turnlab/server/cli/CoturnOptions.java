package dev.turnlab.server.cli;

import dev.turnlab.server.Cidr;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * coturn's option names ({@code turnserver.conf} keys and {@code turnserver} flags) in terms of ours, so a
 * coturn operator's file and command line work as they are. Options we share by name pass through; an option
 * of coturn's that we do not implement is dropped with one warning line; anything else is left for picocli.
 */
final class CoturnOptions {

    /** coturn's short options that take a value, by their long names. */
    private static final Map<String, String> SHORT_WITH_VALUE = Map.of("-X", "external-ip", "-L", "listening-ip",
            "-E", "relay-ip", "-r", "realm", "-u", "user", "-p", "listening-port", "-c", "config", "-l", "log-file",
            "-s", "max-bps", "-B", "bps-capacity");

    /** coturn's short flags, by their long names. */
    private static final Map<String, String> SHORT_FLAGS = Map.of("-a", "lt-cred-mech", "-f", "fingerprint",
            "-v", "verbose");

    /** coturn's names for options we have under another name. */
    private static final Map<String, String> RENAMED = Map.of("listening-port", "--port", "tls-listening-port",
            "--tls-port", "listening-ip", "--listen", "static-auth-secret", "--auth-secret", "max-allocate-timeout",
            "--allocate-timeout", "dtls-listening-port", "--dtls-port");

    /** coturn's flags that ask for what we always do (or for something we do not have to switch off). */
    private static final Set<String> ACCEPTED_FLAGS = Set.of("lt-cred-mech", "use-auth-secret", "fingerprint",
            "verbose", "Verbose", "no-cli", "no-rfc5780", "no-stun-backward-compatibility",
            "response-origin-only-with-rfc5780", "no-multicast-peers", "no-loopback-peers", "no-tlsv1", "no-tlsv1_1",
            "simple-log", "new-log-timestamp");

    /** coturn's options we do not implement: whether each takes a value, and what to use instead. */
    private static final Map<String, Unimplemented> UNIMPLEMENTED = Map.ofEntries(
            unimplemented("tls-alternate-server", true, null),
            unimplemented("alt-listening-port", true, null),
            unimplemented("alt-tls-listening-port", true, null),
            unimplemented("aux-server", true, null),
            unimplemented("udp-self-balance", false, "--io-threads"),
            unimplemented("relay-threads", true, "--io-threads"),
            unimplemented("ca-file", true, null),
            unimplemented("dh-file", true, null),
            unimplemented("ec-curve-name", true, null),
            unimplemented("userdb", true, "--users-file FILE, one NAME:PASSWORD per line"),
            unimplemented("psql-userdb", true, "--users-file or --auth-secret"),
            unimplemented("mysql-userdb", true, "--users-file or --auth-secret"),
            unimplemented("mongo-userdb", true, "--users-file or --auth-secret"),
            unimplemented("prometheus-port", true, "--admin ADDR:PORT"),
            unimplemented("oauth", false, null),
            unimplemented("server-name", true, null),
            unimplemented("mobility", false, null),
            unimplemented("no-auth", false, null),
            unimplemented("stun-only", false, null),
            unimplemented("no-stun", false, null),
            unimplemented("cli-ip", true, "--admin ADDR:PORT for the admin API"),
            unimplemented("cli-port", true, "--admin ADDR:PORT for the admin API"),
            unimplemented("cli-password", true, "--admin-token-file or --admin-token-env for the admin API"),
            unimplemented("web-admin", false, "--admin ADDR:PORT"),
            unimplemented("proc-user", true, null),
            unimplemented("proc-group", true, null),
            unimplemented("check-origin-consistency", false, null),
            unimplemented("secure-stun", false, "Binding requests are answered without authentication"));

    private record Unimplemented(boolean takesValue, String instead) {
    }

    private CoturnOptions() {
    }

    private static Map.Entry<String, Unimplemented> unimplemented(String name, boolean takesValue, String instead) {
        return Map.entry(name, new Unimplemented(takesValue, instead));
    }

    /**
     * {@code args} with coturn's names turned into ours; {@code warn} receives one line per option of
     * coturn's that is ignored. Throws {@link IllegalArgumentException} for a value we cannot honour.
     */
    static List<String> translate(List<String> args, Consumer<String> warn) {
        List<String> out = new ArrayList<>();
        Set<String> relayAddresses = new HashSet<>();
        String minPort = null;
        String maxPort = null;
        int relayPortsAt = -1;
        String userdb = null;
        String statsdb = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name;
            String value = null;
            if (SHORT_WITH_VALUE.containsKey(arg)) {
                name = SHORT_WITH_VALUE.get(arg);
            } else if (SHORT_FLAGS.containsKey(arg)) {
                name = SHORT_FLAGS.get(arg);
            } else if (arg.startsWith("--") && arg.length() > 2) {
                int eq = arg.indexOf('=');
                name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
                value = eq < 0 ? null : arg.substring(eq + 1);
            } else {
                out.add(arg);
                continue;
            }
            boolean hasNext = i + 1 < args.size();
            if (RENAMED.containsKey(name) || SHORT_WITH_VALUE.containsValue(name) || name.equals("relay-ip")
                    || name.equals("external-ip") || name.equals("min-port") || name.equals("max-port")
                    || name.equals("allowed-peer-ip") || name.equals("denied-peer-ip") || name.equals("redis-userdb")
                    || name.equals("redis-statsdb")) {
                if (value == null) {
                    if (!hasNext) {
                        out.add(arg); // picocli names the missing value
                        continue;
                    }
                    value = args.get(++i);
                }
            }
            switch (name) {
                case "min-port" -> {
                    minPort = value;
                    relayPortsAt = out.size();
                }
                case "max-port" -> {
                    maxPort = value;
                    relayPortsAt = out.size();
                }
                case "relay-ip" -> {
                    if (relayAddresses.add(value)) {
                        add(out, "--relay-address", value);
                    }
                }
                case "external-ip" -> {
                    // "A/B": public A advertised for the private B the relays bind to.
                    int slash = value.indexOf('/');
                    add(out, "--external-address", slash < 0 ? value : value.substring(0, slash));
                    if (slash >= 0 && relayAddresses.add(value.substring(slash + 1))) {
                        add(out, "--relay-address", value.substring(slash + 1));
                    }
                }
                case "allowed-peer-ip", "denied-peer-ip" -> {
                    for (String cidr : cidrs(value)) {
                        add(out, name.equals("allowed-peer-ip") ? "--allow-peer" : "--deny-peer", cidr);
                    }
                }
                case "user", "realm", "config", "max-bps", "bps-capacity" -> add(out, "--" + name, value);
                // coturn's special names: stdout and - for standard output (ours too), syslog for --syslog.
                case "log-file" -> {
                    if (value.equals("syslog")) {
                        out.add("--syslog");
                    } else {
                        add(out, "--log-file", value);
                    }
                }
                case "stale-nonce" -> {
                    // coturn: stale-nonce[=SECONDS], 600 when bare; ours: --stale-nonce DURATION.
                    if (value == null && hasNext && !args.get(i + 1).startsWith("-")) {
                        value = args.get(++i);
                    }
                    add(out, "--stale-nonce", value == null ? "600" : value);
                }
                case "prometheus" -> add(out, "--admin", "127.0.0.1:9641");
                case "redis-userdb" -> userdb = redisUri("redis-userdb", value);
                case "redis-statsdb" -> statsdb = redisUri("redis-statsdb", value);
                default -> {
                    if (RENAMED.containsKey(name)) {
                        add(out, RENAMED.get(name), value);
                    } else if (ACCEPTED_FLAGS.contains(name)) {
                        continue;
                    } else if (UNIMPLEMENTED.containsKey(name)) {
                        Unimplemented u = UNIMPLEMENTED.get(name);
                        if (value == null && u.takesValue() && hasNext) {
                            i++;
                        }
                        warn.accept("coturn option " + name + " is not implemented; ignored"
                                + (u.instead() == null ? "" : " (" + u.instead() + ")"));
                    } else {
                        out.add(arg);
                    }
                }
            }
        }
        if (userdb != null || statsdb != null) {
            // One Redis for users and statistics: the user database's, where coturn was given both.
            add(out, "--redis", userdb != null ? userdb : statsdb);
            if (userdb == null) {
                warn.accept("coturn option redis-statsdb: users are read from that Redis too (--redis); local users"
                        + " still come first");
            } else if (statsdb != null && !statsdb.equals(userdb)) {
                warn.accept("coturn options redis-userdb and redis-statsdb name two Redis: allocation status goes to"
                        + " the user database's Redis (--redis), not to redis-statsdb's");
            }
        }
        if (relayPortsAt >= 0) {
            // coturn's defaults for the bound not given.
            out.add(relayPortsAt, "--relay-ports=" + (minPort == null ? "49152" : minPort) + "-"
                    + (maxPort == null ? "65535" : maxPort));
        }
        return out;
    }

    /**
     * coturn's Redis connection string ({@code "ip=127.0.0.1 dbname=0 password=secret port=6379
     * connect_timeout=30"}; {@code host} for {@code ip}, {@code database} or {@code db} for {@code dbname},
     * {@code pwd} for {@code password}) as our {@code --redis} URI; {@code connect_timeout} is left to
     * {@code --redis-timeout}'s bound. A bad string is refused in one line naming {@code option}.
     */
    static String redisUri(String option, String connection) {
        String host = "127.0.0.1";
        int port = 6379;
        String db = "0";
        String password = null;
        for (String pair : connection.trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq).toLowerCase(Locale.ROOT);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            switch (key) {
                case "ip", "host" -> host = v;
                case "port" -> port = redisNumber(option, "port", v, 1, 65535);
                case "dbname", "database", "db" -> db = String.valueOf(redisNumber(option, "dbname", v, 0, 99));
                case "password", "pwd" -> password = v.isEmpty() ? null : v;
                case "connect_timeout" -> redisNumber(option, "connect_timeout", v, 0, Integer.MAX_VALUE);
                default -> throw new IllegalArgumentException(option + ": unknown key '" + key
                        + "' (expected: ip=, port=, dbname=, password=, connect_timeout=)");
            }
        }
        try {
            return new URI("redis", password == null ? null : ":" + password, host, port, "/" + db, null, null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(option + ": host '" + host + "' (expected: an address or host name)");
        }
    }

    private static int redisNumber(String option, String key, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": " + key + "=" + value + " (expected: " + min + "-" + max + ")");
    }

    private static void add(List<String> out, String option, String value) {
        out.add(option + "=" + value);
    }

    /**
     * coturn's peer address forms as prefixes: a single address, a prefix, or a range {@code A-B} as the
     * fewest prefixes that cover exactly the addresses from A to B ({@link Cidr#parseRange}).
     */
    static List<String> cidrs(String text) {
        if (text.indexOf('-') < 0) {
            return List.of(text.strip());
        }
        return Cidr.parseRange(text).stream().map(Cidr::toString).toList();
    }
}
