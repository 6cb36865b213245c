package dev.turnlab.server;

import dev.turnlab.codec.attribute.ErrorCode;

/**
 * A named set of defaults. {@link #EXPRESSWAY} gives the behaviour of a Cisco Expressway-E as seen in
 * the CMS WebRTC troubleshooting guide: realm TANDBERG, 3478 UDP and TCP, relays on 24000-29999 and
 * 431 Integrity Check Failure for bad credentials. Every value stays overridable on the builder.
 */
public enum Profile {
    /** turnlab's own defaults: RFC 8656 behaviour, 401 on bad credentials. */
    STANDARD("turnlab", ErrorCode.UNAUTHORIZED, "turnlab"),
    /** A lab stand-in for a Cisco Expressway-E TURN server. */
    EXPRESSWAY("TANDBERG", ErrorCode.INTEGRITY_CHECK_FAILURE, "TANDBERG/4137 (X15.0) turnlab");

    private final String realm;
    private final ErrorCode integrityFailure;
    private final String software;

    Profile(String realm, ErrorCode integrityFailure, String software) {
        this.realm = realm;
        this.integrityFailure = integrityFailure;
        this.software = software;
    }

    /** The realm (RFC 8489 §14.9) of this profile. */
    public String realm() {
        return realm;
    }

    /** The error answered when MESSAGE-INTEGRITY does not verify (RFC 8489 §9.2.4 says 401). */
    public ErrorCode integrityFailure() {
        return integrityFailure;
    }

    /** The SOFTWARE value (RFC 8489 §14.14) this profile announces. */
    public String software() {
        return software;
    }

    /** Parses a profile name, case-insensitively. */
    public static Profile parse(String name) {
        for (Profile p : values()) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("profile: " + name + " (expected: standard or expressway)");
    }
}
