package dev.turnlab.server.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The live status page: three static files from this package's resources, read once. The page holds no data of
 * its own; its script fetches {@code /status} every few seconds and writes every value as text, so the policy
 * below allows scripts, styles and fetches from this origin only, and nothing inline.
 */
final class StatusPage {

    /** Scripts, styles and {@code fetch} from this origin; no inline code, no frames, no forms elsewhere. */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** A file of the page and its media type. */
    record File(String type, String text) {
    }

    private static final Map<String, File> FILES = Map.of(
            "/status.html", load("status.html", "text/html; charset=utf-8"),
            "/status.js", load("status.js", "text/javascript; charset=utf-8"),
            "/status.css", load("status.css", "text/css; charset=utf-8"));

    private StatusPage() {
    }

    /** The file served at {@code path}, or null when the page has none there. */
    static File file(String path) {
        return FILES.get(path);
    }

    private static File load(String name, String type) {
        try (InputStream in = StatusPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("turn-server's resources lack " + name);
            }
            return new File(type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
