package dev.turnlab.server.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.turnlab.server.TurnServerConfig;
import dev.turnlab.server.allocation.FiveTuple;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the effective configuration for {@code GET /api/config}: every part of {@link TurnServerConfig}
 * as an object of its components, so a setting added to a part shows up without a change here. Secrets
 * never leave: a component whose name speaks of a password, secret or token is written as {@value #MASK}
 * (null when unset), the local users as their names only; files (certificate, key) appear as paths, never
 * their contents. A part holding raw bytes, and any other value, is written as its text form.
 */
final class ConfigJson {

    static final String MASK = "********";
    private static final int MAX_DEPTH = 6;

    private final JsonGenerator out;

    ConfigJson(JsonGenerator out) {
        this.out = out;
    }

    /** Writes {@code config} as one object. */
    void config(TurnServerConfig config) throws IOException {
        value(config, 0);
    }

    private void value(Object v, int depth) throws IOException {
        if (v == null) {
            out.writeNull();
        } else if (v instanceof Boolean b) {
            out.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            out.writeNumber(((Number) v).longValue());
        } else if (v instanceof InetSocketAddress a) {
            out.writeString(FiveTuple.format(a));
        } else if (v instanceof InetAddress a) {
            out.writeString(a.getHostAddress());
        } else if (v instanceof Collection<?> c && depth < MAX_DEPTH) {
            out.writeStartArray();
            for (Object item : c) {
                value(item, depth + 1);
            }
            out.writeEndArray();
        } else if (v instanceof Map<?, ?> m && depth < MAX_DEPTH) {
            out.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.writeFieldName(String.valueOf(e.getKey()));
                value(e.getValue(), depth + 1);
            }
            out.writeEndObject();
        } else if (v instanceof Record r && depth < MAX_DEPTH && !holdsBytes(r)) {
            record(r, depth);
        } else {
            out.writeString(v.toString());
        }
    }

    private void record(Record r, int depth) throws IOException {
        out.writeStartObject();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue; // a part that does not let us read it is left out rather than guessed
            }
            out.writeFieldName(c.getName());
            if (isSecret(c.getName())) {
                if (v instanceof Map<?, ?> users) {
                    // Names only: the local users and their passwords.
                    value(users.keySet().stream().sorted().toList(), depth + 1);
                } else if (v == null) {
                    out.writeNull();
                } else {
                    out.writeString(MASK);
                }
            } else {
                value(v, depth + 1);
            }
        }
        out.writeEndObject();
    }

    /** Whether a component of this name holds a secret: a password, a shared secret, a token, the users' passwords. */
    static boolean isSecret(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("password") || n.contains("secret") || n.contains("token") || n.equals("users")
                || n.contains("credential");
    }

    private static boolean holdsBytes(Record r) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            if (c.getType().isArray()) {
                return true;
            }
        }
        return false;
    }
}
