/** The long-term credential mechanism on the server side (RFC 8489 §9.2): nonces, users, REST API secrets. */
package dev.turnlab.server.auth;
