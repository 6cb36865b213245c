package dev.turnlab.server.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.turnlab.server.TurnServerConfig;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/** The JSON documents of the admin API ({@code /api/}), each one line and a newline, written like /status. */
final class ApiJson {

    private ApiJson() {
    }

    /** Something that writes one JSON value. */
    private interface Body {
        void write(JsonGenerator out) throws IOException;
    }

    private static String json(Body body) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator g = StatusJson.FACTORY.createGenerator(text)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.append('\n').toString();
    }

    /** {@code {"status": 400, "error": "..."}}. */
    static String error(int status, String message) {
        return json(out -> {
            out.writeStartObject();
            out.writeNumberField("status", status);
            out.writeStringField("error", message);
            out.writeEndObject();
        });
    }

    /** {@code {"result": "..."}}: what a command did. */
    static String result(String text) {
        return json(out -> {
            out.writeStartObject();
            out.writeStringField("result", text);
            out.writeEndObject();
        });
    }

    /** A page of allocations with the total the filters selected. */
    static String page(AllocationQuery.Page page) {
        return json(out -> {
            out.writeStartObject();
            out.writeNumberField("total", page.total());
            out.writeNumberField("limit", page.limit());
            out.writeNumberField("offset", page.offset());
            out.writeArrayFieldStart("allocations");
            StatusJson status = new StatusJson(out);
            for (StatusSnapshot.AllocationStatus a : page.allocations()) {
                status.allocation(a);
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    /** One allocation, as in a page. */
    static String allocation(StatusSnapshot.AllocationStatus a) {
        return json(out -> new StatusJson(out).allocation(a));
    }

    /** {@code {"ended": ALLOCATION}}: the allocation an admin ended, as it was just before. */
    static String ended(StatusSnapshot.AllocationStatus a) {
        return json(out -> {
            out.writeStartObject();
            out.writeFieldName("ended");
            new StatusJson(out).allocation(a);
            out.writeEndObject();
        });
    }

    /** The effective configuration, secrets masked ({@link ConfigJson}). */
    static String config(TurnServerConfig config) {
        return json(out -> new ConfigJson(out).config(config));
    }

    /** {@code {"draining": true|false}}. */
    static String drain(boolean draining) {
        return json(out -> {
            out.writeStartObject();
            out.writeBooleanField("draining", draining);
            out.writeEndObject();
        });
    }

    /** {@code {"faults": ["loss=5", ...]}}: the faults switched on. */
    static String faults(List<String> faults) {
        return json(out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("faults");
            for (String f : faults) {
                out.writeString(f);
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }
}
