/**
 * The operator's view of a running server: immutable metrics and status snapshots gathered on the event
 * loops, their Prometheus text, JSON and HTML forms, and the HTTP listener that serves them.
 */
package dev.turnlab.server.admin;
