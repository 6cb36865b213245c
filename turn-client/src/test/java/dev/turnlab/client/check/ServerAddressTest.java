package dev.turnlab.client.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerAddressTest {

    @Test
    void parsesHostsPortsAndIpv6() {
        assertThat(ServerAddress.parse("turn.example.com")).isEqualTo(new ServerAddress("turn.example.com", 0));
        assertThat(ServerAddress.parse("10.48.36.248:3478")).isEqualTo(new ServerAddress("10.48.36.248", 3478));
        assertThat(ServerAddress.parse("[::1]:3478")).isEqualTo(new ServerAddress("::1", 3478));
        assertThat(ServerAddress.parse("2001:db8::1")).isEqualTo(new ServerAddress("2001:db8::1", 0));
        assertThat(ServerAddress.parse("[::1]:3478").toString()).isEqualTo("[::1]:3478");
        assertThat(ServerAddress.parse("turn").withDefaultPort(5349).port()).isEqualTo(5349);
    }

    @Test
    void refusesBadPorts() {
        assertThatThrownBy(() -> ServerAddress.parse("h:0")).hasMessage("server: h:0 (expected: HOST[:PORT] with PORT 1-65535)");
        assertThatThrownBy(() -> ServerAddress.parse("[::1")).hasMessage("server: [::1 (expected: [IPV6]:PORT)");
    }
}
