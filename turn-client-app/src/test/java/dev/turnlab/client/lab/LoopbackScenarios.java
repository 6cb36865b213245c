package dev.turnlab.client.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnlab.client.cli.TurnCheckCommand;
import dev.turnlab.client.check.ExitCodes;
import dev.turnlab.server.Profile;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.TurnServerBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lab's failures on loopback, without root: for each scenario our server starts on 127.0.0.1 port 0
 * with the scenario's lab faults, and turn-check's command line runs against it in this JVM, as a lab
 * engineer would run it (relay test, realm TANDBERG for the Expressway-E profile). What turn-check
 * diagnosed and its exit code are compared with what the scenario expects.
 */
final class LoopbackScenarios {

    /** A relay range of its own, apart from the other client tests' (32000-32499). */
    static final int RELAY_MIN = 32500;
    static final int RELAY_MAX = 32515;
    static final String EXPRESSWAY_USER = "expturncreds";
    static final String EXPRESSWAY_PASSWORD = "secret";
    static final String STANDARD_USER = "alice";
    static final String STANDARD_PASSWORD = "alice-secret";

    /** Long enough for an answer on a loaded two-core machine, short enough for silent servers to be quick. */
    private static final String TIMEOUT = "2s";
    private static final String RELAY_TEST = "--relay-test";
    private static final String REQUIRE_BOTH = "--require=udp,tcp";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LoopbackScenarios() {
    }

    /** Every scenario, in the order of the table. */
    static List<LabScenario> all() {
        List<LabScenario> s = new ArrayList<>();
        s.add(exp("healthy", List.of(), List.of(RELAY_TEST), null, ExitCodes.OK, 0));
        s.add(new LabScenario("healthy (standard profile)", false, List.of(), List.of(RELAY_TEST), null, ExitCodes.OK, 0));
        s.add(exp("wrong password", List.of(), List.of(RELAY_TEST, "--password=wrong"),
                "credentials-rejected", ExitCodes.CREDENTIALS_REJECTED, 431));
        s.add(new LabScenario("wrong password (standard profile)", false, List.of(),
                List.of(RELAY_TEST, "--password=wrong"), "credentials-rejected", ExitCodes.CREDENTIALS_REJECTED, 401));
        s.add(exp("answer=401", List.of("answer=401"), List.of(RELAY_TEST), "credentials-rejected",
                ExitCodes.CREDENTIALS_REJECTED, 401));
        s.add(exp("answer=431", List.of("answer=431"), List.of(RELAY_TEST), "credentials-rejected",
                ExitCodes.CREDENTIALS_REJECTED, 431));
        // A server announcing realm turnlab where TANDBERG is expected, and accepting the credentials.
        s.add(new LabScenario("realm mismatch (standard profile)", false, List.of(), List.of(RELAY_TEST,
                "--realm=TANDBERG"), "realm-mismatch", ExitCodes.OK, 0));
        s.add(exp("stall", List.of("stall"), List.of(RELAY_TEST), "no-stun-answer", ExitCodes.UNREACHABLE, 0));
        for (String t : List.of("udp", "tcp")) {
            for (String how : List.of("silent", "reject")) {
                String fault = how + "-" + t;
                s.add(exp(fault, List.of(fault), List.of(RELAY_TEST), t + "-blocked", ExitCodes.OK, 0));
                s.add(exp(fault + " --require udp,tcp", List.of(fault), List.of(RELAY_TEST, REQUIRE_BOTH),
                        t + "-blocked", ExitCodes.UNREACHABLE, 0));
            }
        }
        s.add(exp("reject-udp + reject-tcp", List.of("reject-udp", "reject-tcp"), List.of(RELAY_TEST), "port-closed",
                ExitCodes.UNREACHABLE, 0));
        s.add(exp("block-relay=both", List.of("block-relay=both"), List.of(RELAY_TEST), "relay-blocked",
                ExitCodes.RELAY_FAILED, 0));
        s.add(exp("block-relay=in", List.of("block-relay=in"), List.of(RELAY_TEST), "relay-blocked",
                ExitCodes.RELAY_FAILED, 0));
        s.add(exp("loss=100", List.of("loss=100"), List.of(RELAY_TEST), "relay-blocked", ExitCodes.RELAY_FAILED, 0));
        // Nothing listens on 127.0.0.2: the advertised address does not reach the relay, the address checked does.
        s.add(exp("advertise=127.0.0.2", List.of("advertise=127.0.0.2"), List.of(RELAY_TEST), "nat-reflection",
                ExitCodes.RELAY_FAILED, 0));
        // No relay test: its peer would send to 10.99.0.2, off this host.
        s.add(exp("advertise=10.99.0.2, public clientAddress", List.of("advertise=10.99.0.2"),
                List.of("--client-address=198.51.100.7"), "relay-address-private", ExitCodes.RELAY_FAILED, 0));
        s.add(exp("answer=486", List.of("answer=486"), List.of(RELAY_TEST), "allocation-quota",
                ExitCodes.ALLOCATION_REFUSED, 486));
        s.add(exp("answer=508", List.of("answer=508"), List.of(RELAY_TEST), "allocation-capacity",
                ExitCodes.ALLOCATION_REFUSED, 508));
        s.add(exp("answer=403", List.of("answer=403"), List.of(RELAY_TEST), "allocation-refused",
                ExitCodes.ALLOCATION_REFUSED, 403));
        s.add(exp("stale-nonce", List.of("stale-nonce"), List.of(RELAY_TEST), "stale-nonce",
                ExitCodes.ALLOCATION_REFUSED, 438));
        return s;
    }

    private static LabScenario exp(String name, List<String> faults, List<String> args, String code, int exit, int error) {
        return new LabScenario(name, true, faults, args, code, exit, error);
    }

    /** What one scenario gave. */
    record Outcome(LabScenario scenario, List<String> args, List<String> codes, int errorCode, int exit, String report,
            long millis) {

        boolean passed() {
            boolean code = scenario.expectedCode() == null ? codes.isEmpty()
                    : !codes.isEmpty() && codes.get(0).equals(scenario.expectedCode());
            return code && exit == scenario.expectedExit() && errorCode == scenario.errorCode();
        }

        String actual() {
            return (codes.isEmpty() ? "(none)" : String.join(", ", codes)) + (errorCode == 0 ? "" : " (" + errorCode + ")")
                    + " / exit " + exit;
        }
    }

    /** Starts the server of {@code scenario}, runs turn-check against it, stops the server. */
    static Outcome run(LabScenario scenario) {
        long start = System.nanoTime();
        try (TurnServer server = server(scenario).build().start()) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            List<String> args = checkArgs(scenario, server.udpAddress().getPort());
            int exit = TurnCheckCommand.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
            List<String> codes = new ArrayList<>();
            int errorCode = 0;
            if (!out.toString().isBlank()) {
                JsonNode report = read(out.toString()).at("/turnServers/0");
                report.get("diagnosis").forEach(f -> codes.add(f.get("code").asText()));
                // The STUN error answered to Allocate (credentialsError or allocationError), if any.
                JsonNode error = report.get("credentialsError").isNull() ? report.get("allocationError")
                        : report.get("credentialsError");
                errorCode = error.isNull() ? 0 : error.get("code").asInt();
            }
            return new Outcome(scenario, args, codes, errorCode, exit, out + err.toString(),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("turn-check's JSON: " + e.getOriginalMessage() + "\n" + json, e);
        }
    }

    /** Our server on loopback with the scenario's profile, credentials and faults. */
    static TurnServerBuilder server(LabScenario scenario) {
        TurnServerBuilder b = TurnServer.builder().listen("127.0.0.1").port(0).noTls().relayPorts(RELAY_MIN, RELAY_MAX)
                .allowLoopbackPeers(true).ioThreads(1);
        if (scenario.expressway()) {
            b.profile(Profile.EXPRESSWAY).user(EXPRESSWAY_USER, EXPRESSWAY_PASSWORD);
        } else {
            b.user(STANDARD_USER, STANDARD_PASSWORD);
        }
        scenario.faults().forEach(b::fault);
        return b;
    }

    /**
     * turn-check's arguments: the server, the profile's credentials (and realm TANDBERG for the
     * Expressway-E), JSON output, then the scenario's own, which replace an option of the same name.
     */
    static List<String> checkArgs(LabScenario scenario, int port) {
        List<String> args = new ArrayList<>(List.of("--server=127.0.0.1:" + port, "--timeout=" + TIMEOUT,
                "--probes=2", "--format=json"));
        if (scenario.expressway()) {
            args.addAll(List.of("--user=" + EXPRESSWAY_USER, "--password=" + EXPRESSWAY_PASSWORD));
        } else {
            args.addAll(List.of("--user=" + STANDARD_USER, "--password=" + STANDARD_PASSWORD));
        }
        if (scenario.expressway()) {
            args.add("--realm=TANDBERG");
        }
        for (String a : scenario.checkArgs()) {
            String name = a.contains("=") ? a.substring(0, a.indexOf('=') + 1) : a;
            args.removeIf(x -> x.startsWith(name));
            args.add(a);
        }
        return args;
    }

    /** The table: one row per scenario, then the count. */
    static String table(List<Outcome> outcomes) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"scenario", "expected", "actual", "result", "time"});
        for (Outcome o : outcomes) {
            rows.add(new String[] {o.scenario().name(), o.scenario().expected(), o.actual(), o.passed() ? "pass" : "FAIL",
                    String.format(Locale.ROOT, "%.1f s", o.millis() / 1000.0)});
        }
        int[] widths = new int[5];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                s.append(i == 0 ? "" : "  ").append(i == row.length - 1 ? row[i] : pad(row[i], widths[i]));
            }
            s.append('\n');
        }
        long failed = outcomes.stream().filter(o -> !o.passed()).count();
        return s.append(outcomes.size() - failed).append(" of ").append(outcomes.size()).append(" scenarios passed")
                .append('\n').toString();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
