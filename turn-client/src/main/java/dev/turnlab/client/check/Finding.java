package dev.turnlab.client.check;

import java.util.Objects;

/**
 * One thing a check found wrong, in plain words, with the likely fix.
 *
 * @param severity a problem (media will fail) or a warning
 * @param code a stable short name, for scripts: {@code unreachable}, {@code credentials-rejected}...
 * @param problem what is wrong
 * @param fix what to do about it
 * @param exitCode turn-check's exit code for it; 0 for a warning
 */
public record Finding(Severity severity, String code, String problem, String fix, int exitCode) {

    /** How bad a finding is. */
    public enum Severity {
        /** Media through this server will fail, or fail for some clients. */
        PROBLEM,
        /** Worth knowing; media may still work. */
        WARNING
    }

    /** Checks every part is present. */
    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(fix, "fix");
    }
}
