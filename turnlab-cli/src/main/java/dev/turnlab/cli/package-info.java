/**
 * The picocli converters turnlab's command lines share (turn-server, turn-check, turn-load): a duration
 * such as {@code 10s} or {@code 500ms}, and {@code HOST:PORT} with IPv6 in brackets. A value one refuses
 * is an {@link dev.turnlab.cli.InvalidValueException} that names the value and what was expected, so that
 * every command prints it as one line: {@code --timeout: soon (expected: ...)}.
 */
package dev.turnlab.cli;
