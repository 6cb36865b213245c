package dev.turnlab.server.handler;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Attacker-supplied text in log lines: quoted, escaped, bounded. */
class LogTextTest {

    @Test
    void aForgedLineStaysOnItsLine() {
        String forged = "bob\nINFO TURN allocation created: user=\"root\"\r";

        assertThat(LogText.quote(forged))
                .isEqualTo("\"bob\\nINFO TURN allocation created: user=\\\"root\\\"\\r\"");
    }

    @Test
    void controlsSeparatorsAndBidiOverridesAreEscaped() {
        assertThat(LogText.quote("a\u0000b\u001b[31mc\u007f\u0085\u2028\u202e\\"))
                .isEqualTo("\"a\\u0000b\\u001b[31mc\\u007f\\u0085\\u2028\\u202e\\\\\"");
        assertThat(LogText.quote(null)).isEqualTo("-");
        assertThat(LogText.quote("élan 東京")).isEqualTo("\"élan 東京\"");
    }

    @Test
    void longValuesAreCut() {
        String quoted = LogText.quote("x".repeat(600));

        assertThat(quoted).hasSize(LogText.MAX_CHARS + "\"\"...(600 chars)".length()).endsWith("...(600 chars)\"");
    }

    @Property
    void anyStringBecomesOneQuotedLineOfBoundedLength(@ForAll String value) {
        String quoted = LogText.quote(value);

        assertThat(quoted).startsWith("\"").endsWith("\"").hasSizeLessThanOrEqualTo(6 * LogText.MAX_CHARS + 32);
        String inside = quoted.substring(1, quoted.length() - 1);
        for (int i = 0; i < inside.length(); i++) {
            char c = inside.charAt(i);
            assertThat(c < 0x20 || c == 0x7F || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)).isFalse();
            if (c == '\\') {
                i++; // an escape: the next character is its letter
            } else {
                assertThat(c).isNotEqualTo('"');
            }
        }
    }
}
