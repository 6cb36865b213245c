package dev.turnlab.server.admin;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bearer token of the admin listener (RFC 6750 §2.1, {@code Authorization: Bearer <token>}). Only its
 * SHA-256 digest is kept, and a presented token is hashed and compared with {@link MessageDigest#isEqual},
 * so the time a comparison takes says nothing about the token, not even its length. {@link #toString()}
 * never shows it.
 */
public final class AdminToken {

    /** RFC 6750's b64token, at least 16 characters: a token a person chose by hand is a password, not a token. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]{16,}=*");
    private static final String SCHEME = "Bearer ";

    private final byte[] digest;

    private AdminToken(byte[] digest) {
        this.digest = digest;
    }

    /** The token {@code token}; {@code what} names its source in the message of a refusal. */
    public static AdminToken of(String what, String token) {
        Objects.requireNonNull(token, what);
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException(what + ": not a usable token (expected: at least 16 characters of "
                    + "A-Z a-z 0-9 - . _ ~ + /, e.g. from openssl rand -hex 32)");
        }
        return new AdminToken(sha256(token));
    }

    /**
     * The first line of {@code file}, refused when the file is readable by its group or others (a token
     * anyone on the host can read protects nothing) or cannot be read.
     */
    public static AdminToken fromFile(Path file) {
        String what = "admin-token-file: " + file;
        try {
            PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (posix != null) {
                Set<PosixFilePermission> p = posix.readAttributes().permissions();
                if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                    throw new IllegalArgumentException(what + " is readable by group or others (expected: chmod 600 "
                            + file + ")");
                }
            }
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line = in.readLine();
                return of(what, line == null ? "" : line.strip());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " (cannot read: " + e.getClass().getSimpleName() + ")");
        }
    }

    /** The value of the environment variable {@code name} in {@code environment} (the process's: {@link System#getenv()}). */
    public static AdminToken fromEnvironment(String name, Map<String, String> environment) {
        String what = "admin-token-env: " + name;
        String value = environment.get(Objects.requireNonNull(name, "admin-token-env"));
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is not set (expected: the variable holding the admin token)");
        }
        return of(what, value.strip());
    }

    /**
     * Whether {@code authorization}, an Authorization header or null, carries this token; the scheme's
     * case does not matter (RFC 7235 §2.1).
     */
    public boolean admits(String authorization) {
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        return constantTimeEquals(digest, sha256(authorization.substring(SCHEME.length()).strip()));
    }

    /** Whether {@code a} and {@code b} are equal, in a time that depends on their lengths only. */
    static boolean constantTimeEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AdminToken[********]";
    }
}
