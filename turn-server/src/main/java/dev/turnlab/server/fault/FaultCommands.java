package dev.turnlab.server.fault;

import java.util.ArrayList;
import java.util.List;

/**
 * The admin API's {@code /faults} resource, as text: {@code GET /faults} lists the faults on, one
 * {@code NAME[=VALUE]} per line; {@code POST /faults} with such lines switches them on (all or, if one is
 * invalid, none); {@code DELETE /faults/NAME} switches one off and {@code DELETE /faults} all of them.
 * Every answer that changes or lists faults is the list of those on afterwards.
 */
public final class FaultCommands {

    /** The resource's path. */
    public static final String PATH = "/faults";

    /** An HTTP status and a plain-text body. */
    public record Result(int status, String text) {
    }

    private FaultCommands() {
    }

    /** Whether {@code path} is this resource or one fault under it. */
    public static boolean handles(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    /**
     * Answers {@code method} on {@code path} with the request {@code body}; {@code origin} names the client
     * in the log line of every change.
     */
    public static Result handle(FaultSwitch faults, String method, String path, String body, String origin) {
        try {
            if (path.equals(PATH)) {
                return switch (method) {
                    case "GET" -> list(faults.current());
                    case "POST" -> switchOn(faults, body, origin);
                    case "DELETE" -> list(faults.switchOffAll(origin));
                    default -> notAllowed();
                };
            }
            Fault fault = Fault.named(path.substring(PATH.length() + 1));
            return switch (method) {
                case "GET" -> faults.current().isOn(fault) ? new Result(200, faults.current().get(fault) + "\n")
                        : new Result(404, "off: " + fault.label() + "\n");
                case "DELETE" -> list(faults.switchOff(fault, origin));
                default -> notAllowed();
            };
        } catch (IllegalArgumentException e) {
            return new Result(400, e.getMessage() + "\n");
        } catch (IllegalStateException e) {
            // A listener could not be bound again (another process took its port): the fault stays on.
            return new Result(409, e.getMessage() + "\n");
        }
    }

    private static Result switchOn(FaultSwitch faults, String body, String origin) {
        List<FaultSetting> settings = new ArrayList<>();
        for (String line : body.split("\r?\n")) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                settings.add(FaultSetting.parse(s));
            }
        }
        if (settings.isEmpty()) {
            throw new IllegalArgumentException("fault: none given (expected: NAME[=VALUE] lines, one of "
                    + Fault.names() + ")");
        }
        return list(faults.switchOn(settings, origin));
    }

    private static Result list(Faults now) {
        StringBuilder s = new StringBuilder();
        now.settings().forEach(f -> s.append(f).append('\n'));
        return new Result(200, s.toString());
    }

    private static Result notAllowed() {
        return new Result(405, "method not allowed: GET, POST or DELETE\n");
    }
}
