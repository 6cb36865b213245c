package dev.turnlab.server.admin;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A response of the admin listener, before it is written.
 *
 * @param status the HTTP status
 * @param type the Content-Type
 * @param text the body
 * @param allow the Allow header of a 405
 * @param challenge whether it carries {@code WWW-Authenticate: Bearer} (a 401, RFC 6750 §3)
 */
record AdminResponse(HttpResponseStatus status, String type, String text, String allow, boolean challenge) {

    static final String TEXT = "text/plain; charset=utf-8";
    static final String JSON = "application/json; charset=utf-8";

    /** A plain-text response. */
    static AdminResponse text(HttpResponseStatus status, String text) {
        return new AdminResponse(status, TEXT, text, "GET", false);
    }

    /** A JSON response. */
    static AdminResponse json(HttpResponseStatus status, String json) {
        return new AdminResponse(status, JSON, json, "GET", false);
    }

    /** A 405 naming the methods {@code allow}ed, in plain text. */
    static AdminResponse notAllowed(String allow) {
        return new AdminResponse(HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "method not allowed: " + allow + "\n",
                allow, false);
    }

    /** The same response with another Allow header for a 405. */
    AdminResponse allowing(String methods) {
        return new AdminResponse(status, type, text, methods, challenge);
    }
}
