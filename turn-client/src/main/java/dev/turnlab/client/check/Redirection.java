package dev.turnlab.client.check;

import dev.turnlab.codec.HostPort;
import dev.turnlab.codec.StunMessage;
import dev.turnlab.codec.attribute.AlternateServer;
import dev.turnlab.codec.attribute.ErrorCode;
import java.net.InetSocketAddress;

/** Puts in words what 300 Try Alternate (RFC 8489 §10) did to an Allocate, for an administrator to act on. */
final class Redirection {

    private Redirection() {
    }

    /**
     * The redirect from {@code asked} to {@code now} that the client followed, and one more that {@code response}
     * asks for and the client did not follow (it follows one); empty when neither happened.
     */
    static String describe(InetSocketAddress asked, InetSocketAddress now, StunMessage response) {
        StringBuilder s = new StringBuilder();
        if (!now.equals(asked)) {
            s.append("server redirected to ").append(HostPort.format(now)).append(" (300 Try Alternate)");
        }
        ErrorCode error = response == null ? null : response.get(ErrorCode.class);
        AlternateServer again = error != null && error.code() == 300 ? response.get(AlternateServer.class) : null;
        if (again != null) {
            s.append(s.length() == 0 ? "server redirected to " : ", which redirected again to ")
                    .append(HostPort.format(again.address()))
                    .append(s.length() == 0 ? " (300 Try Alternate, not followed)" : " (not followed: one redirect only)");
        }
        return s.toString();
    }
}
