package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** coturn's option names in ours: renamed, accepted, ignored with one warning, or refused. */
class CoturnOptionsTest {

    private final List<String> warnings = new ArrayList<>();

    private List<String> translate(String... args) {
        return CoturnOptions.translate(List.of(args), warnings::add);
    }

    @Test
    void coturnNamesBecomeOurs() {
        assertThat(translate("--listening-port", "3478", "--tls-listening-port=5349", "-L", "127.0.0.1",
                "-E", "10.0.0.2", "-X", "192.0.2.1", "-r", "TANDBERG", "-u", "alice:secret",
                "--static-auth-secret", "s3cret", "--max-allocate-timeout", "30"))
                .containsExactly("--port=3478", "--tls-port=5349", "--listen=127.0.0.1", "--relay-address=10.0.0.2",
                        "--external-address=192.0.2.1", "--realm=TANDBERG", "--user=alice:secret",
                        "--auth-secret=s3cret", "--allocate-timeout=30");
        assertThat(warnings).isEmpty();
    }

    @Test
    void externalIpWithAPrivateAddressAdvertisesThePublicOneForRelaysBoundToThePrivateOne() {
        assertThat(translate("--relay-ip", "172.17.19.101", "--external-ip", "60.70.80.91/172.17.19.101"))
                .containsExactly("--relay-address=172.17.19.101", "--external-address=60.70.80.91");
        assertThat(translate("--external-ip=60.70.80.91/172.17.19.101"))
                .containsExactly("--external-address=60.70.80.91", "--relay-address=172.17.19.101");
    }

    @Test
    void minAndMaxPortMakeOneRangeWithCoturnsDefaultForTheOneMissing() {
        assertThat(translate("--min-port", "24000", "--max-port", "29999")).containsExactly("--relay-ports=24000-29999");
        assertThat(translate("--min-port", "50000")).containsExactly("--relay-ports=50000-65535");
        assertThat(translate("--max-port=50000")).containsExactly("--relay-ports=49152-50000");
    }

    @Test
    void dtlsOptionsAreOurs() {
        assertThat(translate("--no-dtls", "--dtls-listening-port", "5350")).containsExactly("--no-dtls", "--dtls-port=5350");
        assertThat(warnings).isEmpty();
    }

    @Test
    void flagsForWhatWeAlwaysDoAreAcceptedSilently() {
        assertThat(translate("-a", "-f", "-v", "--lt-cred-mech", "--use-auth-secret", "--fingerprint",
                "--no-cli", "--no-rfc5780", "--no-multicast-peers", "--no-loopback-peers")).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void unimplementedOptionsAreOneWarningEachAndTheirValuesAreDropped() {
        assertThat(translate("--cli-port", "5766", "--tls-alternate-server=192.0.2.2:5349",
                "--psql-userdb", "host=127.0.0.1", "--realm", "r"))
                .containsExactly("--realm=r");
        assertThat(warnings).containsExactly("coturn option cli-port is not implemented; ignored (--admin ADDR:PORT for the admin API)",
                "coturn option tls-alternate-server is not implemented; ignored",
                "coturn option psql-userdb is not implemented; ignored (--users-file or --auth-secret)");
    }

    @Test
    void coturnsRedisConnectionStringsBecomeOneRedisUri() {
        assertThat(translate("--redis-userdb", "ip=10.0.0.5 dbname=2 password=turn port=6380 connect_timeout=30"))
                .containsExactly("--redis=redis://:turn@10.0.0.5:6380/2");
        assertThat(warnings).isEmpty();
        assertThat(translate("--redis-userdb=ip=127.0.0.1")).containsExactly("--redis=redis://127.0.0.1:6379/0");
        assertThat(CoturnOptions.redisUri("redis-userdb", "host=::1 db=3")).isEqualTo("redis://[::1]:6379/3");
        assertThat(CoturnOptions.redisUri("redis-userdb", "ip=127.0.0.1 password=p@ss")).as("a password with URI characters is quoted")
                .isEqualTo("redis://:p%40ss@127.0.0.1:6379/0");

        // Only a statistics database: it serves users too, said in one line.
        assertThat(translate("--redis-statsdb", "ip=127.0.0.1 port=6390")).containsExactly("--redis=redis://127.0.0.1:6390/0");
        assertThat(warnings).containsExactly("coturn option redis-statsdb: users are read from that Redis too (--redis);"
                + " local users still come first");
        warnings.clear();
        // Two different ones: the user database's wins, said in one line.
        assertThat(translate("--redis-userdb", "ip=127.0.0.1 port=6379", "--redis-statsdb", "ip=127.0.0.1 port=6390"))
                .containsExactly("--redis=redis://127.0.0.1:6379/0");
        assertThat(warnings).containsExactly("coturn options redis-userdb and redis-statsdb name two Redis: allocation"
                + " status goes to the user database's Redis (--redis), not to redis-statsdb's");

        assertThatThrownBy(() -> translate("--redis-userdb", "ip=127.0.0.1 port=x"))
                .hasMessage("redis-userdb: port=x (expected: 1-65535)");
        assertThatThrownBy(() -> translate("--redis-userdb", "ip=127.0.0.1 user=u"))
                .hasMessage("redis-userdb: unknown key 'user' (expected: ip=, port=, dbname=, password=, connect_timeout=)");
    }

    @Test
    void staleNonceBareIsCoturnsDefault() {
        assertThat(translate("--stale-nonce")).containsExactly("--stale-nonce=600");
        assertThat(translate("--stale-nonce=120")).containsExactly("--stale-nonce=120");
        assertThat(translate("--stale-nonce", "2m", "--port", "1")).containsExactly("--stale-nonce=2m", "--port", "1");
    }

    @Test
    void ourOwnOptionsPassThrough() {
        assertThat(translate("--port", "0", "--no-tls", "--relay-ports", "1-2", "--fault", "stall", "--config", "x"))
                .containsExactly("--port", "0", "--no-tls", "--relay-ports", "1-2", "--fault", "stall", "--config=x");
        assertThat(translate("-c", "/etc/turnserver.conf")).containsExactly("--config=/etc/turnserver.conf");
    }

    @Test
    void coturnsLogFileAndSyslogAreOurs() {
        assertThat(translate("-l", "/var/log/turn.log", "--syslog", "--log-file", "syslog", "--no-stdout-log"))
                .containsExactly("--log-file=/var/log/turn.log", "--syslog", "--syslog", "--no-stdout-log");
        assertThat(warnings).isEmpty();
    }

    @Test
    void coturnsKeyFormOfAUserPassesThroughToOurUserOption() {
        assertThat(translate("-u", "ninefingers:0xbc807ee29df3c9ffa736523fb2c4e8ee"))
                .containsExactly("--user=ninefingers:0xbc807ee29df3c9ffa736523fb2c4e8ee");
    }

    @Test
    void peerAddressesAndRangesBecomeExactlyCoveringPrefixes() {
        assertThat(CoturnOptions.cidrs("10.1.2.3")).containsExactly("10.1.2.3");
        assertThat(CoturnOptions.cidrs("10.0.0.0/8")).containsExactly("10.0.0.0/8");
        assertThat(CoturnOptions.cidrs("10.0.0.0-10.255.255.255")).containsExactly("10.0.0.0/8");
        assertThat(CoturnOptions.cidrs("0.0.0.0-255.255.255.255")).containsExactly("0.0.0.0/0");
        assertThat(CoturnOptions.cidrs("83.166.64.0-83.166.95.255")).containsExactly("83.166.64.0/19");
        assertThat(CoturnOptions.cidrs("192.168.1.5-192.168.1.10"))
                .containsExactly("192.168.1.5/32", "192.168.1.6/31", "192.168.1.8/31", "192.168.1.10/32");
        assertThat(CoturnOptions.cidrs("1.2.3.4-1.2.3.4")).containsExactly("1.2.3.4/32");
        assertThat(CoturnOptions.cidrs("fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).containsExactly("fc00::/7");
    }

    @Test
    void badRangesAreRefused() {
        assertThatThrownBy(() -> CoturnOptions.cidrs("10.0.0.9-10.0.0.1")).hasMessageContaining("first <= last");
        assertThatThrownBy(() -> CoturnOptions.cidrs("10.0.0.1-::1")).hasMessageContaining("one family");
        assertThatThrownBy(() -> CoturnOptions.cidrs("host.example-other.example")).hasMessageContaining("numeric");
    }
}
