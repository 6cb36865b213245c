package dev.turnlab.client.check;

import java.io.StringReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A TURN server as Cisco Meeting Server defines it: what {@code GET /api/v1/turnservers/<id>} returns
 * (XML), or the fields of the {@code POST /api/v1/turnservers} that created it ({@code key=value} lines,
 * or one {@code application/x-www-form-urlencoded} line). CMS's API does not return the password.
 *
 * @param serverAddress the address the Callbridge checks and uses (the Expressway-E's private one)
 * @param clientAddress the address browsers are given (the public one), or null
 * @param tcpPortNumberOverride the TCP port for TURN over TCP, or null
 * @param username the TURN user name, or null
 * @param password the TURN password, or null
 * @param type {@code standard}, {@code lyncEdge}, {@code cms} or {@code expressway}, or null
 */
public record CmsTurnServer(String serverAddress, String clientAddress, Integer tcpPortNumberOverride,
        String username, String password, String type) {

    private static final Set<String> TYPES = Set.of("standard", "lyncEdge", "cms", "expressway");
    /** The fields CMS's API has for a TURN server; {@code numRegistrations} is read-only and ignored. */
    private static final Set<String> FIELDS = Set.of("serverAddress", "clientAddress", "tcpPortNumberOverride",
            "username", "password", "type", "numRegistrations");

    /** Checks that there is a server address and the type is one CMS knows. */
    public CmsTurnServer {
        if (serverAddress == null || serverAddress.isBlank()) {
            throw new IllegalArgumentException("no serverAddress (expected: the address the Callbridge uses)");
        }
        if (type != null && !TYPES.contains(type)) {
            throw new IllegalArgumentException("type: " + type + " (expected: standard, lyncEdge, cms or expressway)");
        }
    }

    /** Parses the XML of a {@code <turnServer>} (alone or the only one in {@code <turnServers>}), or key=value text. */
    public static CmsTurnServer parse(String text) {
        return text.stripLeading().startsWith("<") ? fromXml(text) : fromKeyValues(text);
    }

    /** The child elements of the one {@code <turnServer>}; unknown ones (CMS adds more over time) are ignored. */
    static CmsTurnServer fromXml(String xml) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        // An API answer needs no DTD; refusing them shuts out external entities.
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        Map<String, String> fields = new LinkedHashMap<>();
        int servers = 0;
        try {
            XMLStreamReader reader = factory.createXMLStreamReader(new StringReader(xml));
            try {
                int depth = 0;
                int serverDepth = -1;
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamReader.START_ELEMENT) {
                        depth++;
                        if (reader.getLocalName().equals("turnServer")) {
                            servers++;
                            serverDepth = depth;
                        } else if (serverDepth > 0 && depth == serverDepth + 1) {
                            fields.put(reader.getLocalName(), reader.getElementText().strip());
                            depth--; // getElementText consumed the end tag
                        }
                    } else if (event == XMLStreamReader.END_ELEMENT) {
                        if (depth == serverDepth) {
                            serverDepth = -1;
                        }
                        depth--;
                    }
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("not well-formed XML: " + e.getMessage().lines().reduce((a, b) -> b).orElse(""));
        }
        if (servers != 1) {
            throw new IllegalArgumentException(servers + " <turnServer> elements (expected: one, as "
                    + "GET /api/v1/turnservers/<id> returns)");
        }
        return of(fields);
    }

    /**
     * {@code key=value} lines (blank lines and {@code #} comments skipped), or one line of
     * {@code key=value&key=value} with URL-encoded values, as POSTed to CMS. Unknown keys are refused,
     * so that a misspelt one is not silently ignored.
     */
    static CmsTurnServer fromKeyValues(String text) {
        String body = text.strip();
        boolean form = body.indexOf('\n') < 0 && body.indexOf('&') >= 0;
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : body.split(form ? "&" : "\\R")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("line " + l + " (expected: key=value)");
            }
            String key = l.substring(0, eq).strip();
            String value = l.substring(eq + 1).strip();
            if (!FIELDS.contains(key)) {
                throw new IllegalArgumentException("key " + key + " (expected: serverAddress, clientAddress, "
                        + "tcpPortNumberOverride, username, password or type)");
            }
            fields.put(key, form ? URLDecoder.decode(value, StandardCharsets.UTF_8) : value);
        }
        return of(fields);
    }

    private static CmsTurnServer of(Map<String, String> fields) {
        String port = blankToNull(fields.get("tcpPortNumberOverride"));
        Integer tcpPort = null;
        if (port != null) {
            try {
                tcpPort = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                tcpPort = -1;
            }
            if (tcpPort < 1 || tcpPort > 65535) {
                throw new IllegalArgumentException("tcpPortNumberOverride: " + port + " (expected: 1-65535)");
            }
        }
        return new CmsTurnServer(blankToNull(fields.get("serverAddress")), blankToNull(fields.get("clientAddress")),
                tcpPort, blankToNull(fields.get("username")), fields.get("password"), blankToNull(fields.get("type")));
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v;
    }

    @Override
    public String toString() {
        // Never the password.
        return "CmsTurnServer[serverAddress=" + serverAddress + ", clientAddress=" + clientAddress
                + ", tcpPortNumberOverride=" + tcpPortNumberOverride + ", username=" + username + ", type=" + type + "]";
    }
}
