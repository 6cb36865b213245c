package dev.turnlab.client.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnlab.client.Transport;
import dev.turnlab.client.check.ServerReport.AllocationCheck;
import dev.turnlab.client.check.ServerReport.CredentialCheck;
import dev.turnlab.client.check.ServerReport.RelayCheck;
import dev.turnlab.client.check.ServerReport.RoundTrip;
import dev.turnlab.client.check.ServerReport.TransportProbe;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.Test;

/** The report formats on fixed reports: CMS's XML exactly, and what it escapes. */
class ReportFormatTest {

    /** The first server of the CMS guide's example (seed document, step 2c). */
    private static final ServerReport CMS_EXAMPLE = healthy("10.48.36.248", 37, "10.48.36.5", 44920);

    @Test
    void xmlIsTheShapeOfCmsTurnServerStatus() {
        assertThat(ReportFormat.XML.format(List.of(CMS_EXAMPLE))).isEqualTo("""
                <?xml version="1.0"?>
                <turnServer>
                  <status>success</status>
                  <host>
                    <address>10.48.36.248</address>
                    <portNumber>3478</portNumber>
                    <reachable>true</reachable>
                    <roundTripTimeMs>37</roundTripTimeMs>
                    <mappedAddress>10.48.36.5</mappedAddress>
                    <mappedPortNumber>44920</mappedPortNumber>
                  </host>
                </turnServer>
                """);
    }

    @Test
    void severalServersGoInsideTurnServersWithTheirTotal() {
        ServerReport second = healthy("10.48.79.129", 48, "10.48.36.5", 44920);

        String xml = ReportFormat.XML.format(List.of(CMS_EXAMPLE, second));

        assertThat(xml).isEqualTo("""
                <?xml version="1.0"?>
                <turnServers total="2">
                  <turnServer>
                    <status>success</status>
                    <host>
                      <address>10.48.36.248</address>
                      <portNumber>3478</portNumber>
                      <reachable>true</reachable>
                      <roundTripTimeMs>37</roundTripTimeMs>
                      <mappedAddress>10.48.36.5</mappedAddress>
                      <mappedPortNumber>44920</mappedPortNumber>
                    </host>
                  </turnServer>
                  <turnServer>
                    <status>success</status>
                    <host>
                      <address>10.48.79.129</address>
                      <portNumber>3478</portNumber>
                      <reachable>true</reachable>
                      <roundTripTimeMs>48</roundTripTimeMs>
                      <mappedAddress>10.48.36.5</mappedAddress>
                      <mappedPortNumber>44920</mappedPortNumber>
                    </host>
                  </turnServer>
                </turnServers>
                """);
    }

    @Test
    void unreachableServerHasEmptyMeasurements() {
        ServerReport down = new ServerReport(new ServerAddress("192.0.2.9", 3478), null,
                List.of(new TransportProbe(Transport.UDP, 3478, TransportProbe.Outcome.NO_ANSWER, "no answer within 5 s", false)),
                null, null, null, new CredentialCheck(CredentialCheck.Status.NOT_TESTED, null, null, null, null),
                new AllocationCheck(AllocationCheck.Status.NOT_TESTED, null, null, null, "", null), RelayCheck.NOT_RUN, List.of());
        down = down.withFindings(Diagnosis.of(down));

        assertThat(ReportFormat.XML.format(List.of(down))).contains("<status>failure</status>",
                "<reachable>false</reachable>", "<roundTripTimeMs></roundTripTimeMs>", "<mappedAddress></mappedAddress>");
    }

    @Test
    void xmlEscapesWhatAHostNameHoldsAndReadsBack() throws Exception {
        ServerReport odd = new ServerReport(new ServerAddress("a&b<c>\"d", 3478), null,
                List.of(new TransportProbe(Transport.UDP, 3478, TransportProbe.Outcome.NO_ANSWER, "", false)),
                null, null, null, new CredentialCheck(CredentialCheck.Status.NOT_TESTED, null, null, null, null),
                new AllocationCheck(AllocationCheck.Status.NOT_TESTED, null, null, null, "", null), RelayCheck.NOT_RUN,
                List.of());

        String xml = ReportFormat.XML.format(List.of(odd, CMS_EXAMPLE));

        assertThat(xml).contains("<address>a&amp;b&lt;c&gt;\"d</address>");
        assertThat(elements(xml, "address")).containsExactly("a&b<c>\"d", "10.48.36.248");
        assertThat(elements(xml, "roundTripTimeMs")).containsExactly("", "37");
    }

    /** The text of every element named {@code name}, read by the JDK's StAX parser. */
    private static List<String> elements(String xml, String name) throws Exception {
        XMLStreamReader reader = XMLInputFactory.newFactory().createXMLStreamReader(new StringReader(xml));
        List<String> texts = new ArrayList<>();
        while (reader.hasNext()) {
            if (reader.next() == XMLStreamReader.START_ELEMENT && reader.getLocalName().equals(name)) {
                texts.add(reader.getElementText());
            }
        }
        return texts;
    }

    private static ServerReport healthy(String host, int millis, String mapped, int mappedPort) {
        return new ServerReport(new ServerAddress(host, 3478), null,
                List.of(new TransportProbe(Transport.UDP, 3478, TransportProbe.Outcome.ANSWERED, "", false)), Transport.UDP,
                new RoundTrip(Duration.ofMillis(millis), 5, 5), new InetSocketAddress(mapped, mappedPort),
                new CredentialCheck(CredentialCheck.Status.ACCEPTED, "expturncreds", "TANDBERG", null, null),
                new AllocationCheck(AllocationCheck.Status.ALLOCATED, new InetSocketAddress(host, 24000),
                        Duration.ofSeconds(600), null, "", null), RelayCheck.NOT_RUN, List.of());
    }
}
