package dev.turnlab.client.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** CMS's TURN server definitions: the API's XML, the POST's fields, and what is refused. */
class CmsTurnServerTest {

    /** GET /api/v1/turnservers/<id>, with the guide's addresses; CMS leaves the password out. */
    private static final String GET_ONE = """
            <?xml version="1.0"?>
            <turnServer id="eef94a2b-3bfa-40f7-b83c-ece8df424e15">
                <serverAddress>10.48.36.248</serverAddress>
                <clientAddress>175.6.7.8</clientAddress>
                <numRegistrations>0</numRegistrations>
                <username>expturncreds</username>
                <type>expressway</type>
                <tcpPortNumberOverride>3478</tcpPortNumberOverride>
            </turnServer>
            """;

    @Test
    void xmlOfOneTurnServerGivesEveryField() {
        assertThat(CmsTurnServer.parse(GET_ONE)).isEqualTo(
                new CmsTurnServer("10.48.36.248", "175.6.7.8", 3478, "expturncreds", null, "expressway"));
    }

    @Test
    void xmlListWithOneTurnServerIsAcceptedAndWithTwoRefused() {
        String one = "<turnServers total=\"1\"><turnServer id=\"7eec\"><serverAddress>10.48.79.129</serverAddress>"
                + "<clientAddress>175.6.7.9</clientAddress></turnServer></turnServers>";
        String two = "<turnServers total=\"2\"><turnServer id=\"a\"><serverAddress>10.48.79.129</serverAddress></turnServer>"
                + "<turnServer id=\"b\"><serverAddress>10.48.36.248</serverAddress></turnServer></turnServers>";

        assertThat(CmsTurnServer.parse(one).clientAddress()).isEqualTo("175.6.7.9");
        assertThatThrownBy(() -> CmsTurnServer.parse(two)).hasMessage(
                "2 <turnServer> elements (expected: one, as GET /api/v1/turnservers/<id> returns)");
    }

    @Test
    void keyValueLinesAndAFormEncodedLineAreThePostsFields() {
        CmsTurnServer lines = CmsTurnServer.parse("""
                # as POSTed to /api/v1/turnservers
                serverAddress=10.48.36.248
                clientAddress=175.6.7.8
                type=expressway
                username=expturncreds
                password=s&cret=1
                tcpPortNumberOverride=3478
                """);
        CmsTurnServer form = CmsTurnServer.parse("serverAddress=10.48.36.248&username=expturncreds&password=s%26cret%3D1");

        assertThat(lines).isEqualTo(new CmsTurnServer("10.48.36.248", "175.6.7.8", 3478, "expturncreds", "s&cret=1", "expressway"));
        assertThat(form.password()).isEqualTo("s&cret=1");
        assertThat(lines.toString()).doesNotContain("s&cret");
    }

    @Test
    void mistakesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> CmsTurnServer.parse("serverAddres=10.48.36.248")).hasMessageStartingWith("key serverAddres (expected:");
        assertThatThrownBy(() -> CmsTurnServer.parse("clientAddress=175.6.7.8")).hasMessageStartingWith("no serverAddress");
        assertThatThrownBy(() -> CmsTurnServer.parse("serverAddress=a\ntcpPortNumberOverride=0"))
                .hasMessage("tcpPortNumberOverride: 0 (expected: 1-65535)");
        assertThatThrownBy(() -> CmsTurnServer.parse("serverAddress=a\ntype=turn")).hasMessageStartingWith("type: turn");
        assertThatThrownBy(() -> CmsTurnServer.parse("<turnServer><serverAddress>a</turnServer>"))
                .hasMessageStartingWith("not well-formed XML");
    }

    @Test
    void aDoctypeIsRefusedSoNoExternalEntityIsRead() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<turnServer><serverAddress>&x;</serverAddress></turnServer>";

        assertThatThrownBy(() -> CmsTurnServer.parse(xxe)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("root:");
    }
}
