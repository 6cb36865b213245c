package dev.turnlab.client.check;

/** turn-check's exit codes; with several servers, the lowest non-zero one among them wins. */
public final class ExitCodes {

    /** Every check passed. */
    public static final int OK = 0;
    /** A bug or an unexpected failure inside turn-check. */
    public static final int INTERNAL_ERROR = 1;
    /** A bad command line. */
    public static final int USAGE = 2;
    /**
     * The server did not answer on any transport tried (filtered, refused, or there and silent), a
     * transport {@code --require}d did not answer, or the TLS handshake failed.
     */
    public static final int UNREACHABLE = 3;
    /** The credentials were refused (401, 431), or the realm is not the expected one and they were not accepted. */
    public static final int CREDENTIALS_REJECTED = 4;
    /** Allocate was refused (486 quota, 508 capacity, 403...) or not answered. */
    public static final int ALLOCATION_REFUSED = 5;
    /** Data did not cross the relay, or cannot for clients on the Internet (a private relayed address). */
    public static final int RELAY_FAILED = 6;

    private ExitCodes() {
    }
}
