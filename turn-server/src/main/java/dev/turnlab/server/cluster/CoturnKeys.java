package dev.turnlab.server.cluster;

/**
 * The names coturn gives its Redis keys and channels, so that a coturn user database and coturn's monitoring
 * work unchanged: {@code schema.userdb.redis} and {@code schema.stats.redis} in coturn's documentation
 * (Debian installs them under {@code /usr/share/doc/coturn}).
 */
public final class CoturnKeys {

    private CoturnKeys() {
    }

    /** The string key holding the hex MD5 long-term key of {@code user} in {@code realm} (userdb §I.1). */
    public static String userKey(String realm, String user) {
        return "turn/realm/" + realm + "/user/" + user + "/key";
    }

    /** The set of shared secrets of {@code realm}, any of which signs a TURN REST API username (userdb §I.2). */
    public static String secrets(String realm) {
        return "turn/realm/" + realm + "/secret";
    }

    /** The set of peer addresses and ranges allowed in {@code realm} (userdb §I.3). */
    public static String allowedPeers(String realm) {
        return "turn/realm/" + realm + "/allowed-peer-ip";
    }

    /** The set of peer addresses and ranges denied in {@code realm} (userdb §I.3). */
    public static String deniedPeers(String realm) {
        return "turn/realm/" + realm + "/denied-peer-ip";
    }

    /**
     * The key holding an allocation's status, {@code new lifetime=N} or {@code refreshed lifetime=N} (stats §1).
     * The schema shows the form without a realm; a coturn server with a realm, as ours always has, writes the
     * key under the realm, the same name as the status channel, and that is what coturn's tools read.
     */
    public static String statusKey(String realm, String user, String allocation) {
        return channel(realm, user, allocation, "status");
    }

    /** The channel of an allocation's {@code event}: {@code status}, {@code traffic} or {@code total_traffic} (stats §2, §3). */
    public static String channel(String realm, String user, String allocation, String event) {
        return "turn/realm/" + realm + "/user/" + user + "/allocation/" + allocation + "/" + event;
    }

    /** coturn's traffic report: packets and bytes received from the client and sent to it (stats §3). */
    public static String traffic(long receivedPackets, long receivedBytes, long sentPackets, long sentBytes) {
        return "rcvp=" + receivedPackets + ", rcvb=" + receivedBytes + ", sentp=" + sentPackets + ", sentb=" + sentBytes;
    }
}
