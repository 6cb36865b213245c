package dev.turnlab.codec.auth;

import static dev.turnlab.codec.auth.StringPrep.opaqueString;
import static dev.turnlab.codec.auth.StringPrep.saslPrep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StringPrepTest {

    @Nested
    class SaslPrep {

        // The examples of RFC 4013 §3.
        @Test
        void rfc4013Examples() {
            assertThat(saslPrep("I\u00ADX")).isEqualTo("IX"); // SOFT HYPHEN mapped to nothing
            assertThat(saslPrep("user")).isEqualTo("user"); // no transformation
            assertThat(saslPrep("USER")).isEqualTo("USER"); // case preserved, unlike B.2
            assertThat(saslPrep("\u00AA")).isEqualTo("a"); // output is NFKC, input in ISO 8859-1
            assertThat(saslPrep("\u2168")).isEqualTo("IX"); // output is NFKC, will match 1st example
            assertProhibited(() -> saslPrep("\u0007"), "C.2.1"); // error: prohibited character
            assertProhibited(() -> saslPrep("\u0627\u0031"), "§6 rule 3"); // error: bidirectional check
        }

        @Test
        void theRfc5769Password() {
            assertThat(saslPrep("The\u00ADM\u00AAtr\u2168")).isEqualTo("TheMatrIX");
        }

        @Test
        void nonAsciiSpacesBecomeSpaces() {
            assertThat(saslPrep("a\u00A0b\u2003c\u3000d\u1680e")).isEqualTo("a b c d e");
            // U+200B is in C.1.2 and in B.1; the space mapping wins.
            assertThat(saslPrep("a\u200Bb")).isEqualTo("a b");
        }

        @Test
        void commonlyMappedToNothingDisappears() {
            assertThat(saslPrep("a\u034Fb\u1806c\u180Bd\u200Ce\u200Df\u2060g\uFE0Fh\uFEFFi")).isEqualTo("abcdefghi");
        }

        @Test
        void normalizationIsNfkc() {
            assertThat(saslPrep("\uFB01")).isEqualTo("fi"); // compatibility ligature
            assertThat(saslPrep("e\u0301")).isEqualTo("\u00E9"); // canonical composition
            assertThat(saslPrep("\uFF21")).isEqualTo("A"); // fullwidth
            assertThat(saslPrep("")).isEmpty();
        }

        @Test
        void prohibitedOutput() {
            assertProhibited(() -> saslPrep("a\u0000"), "C.2.1");
            assertProhibited(() -> saslPrep("a\u007F"), "C.2.1");
            assertProhibited(() -> saslPrep("a\u0085"), "C.2.2");
            assertProhibited(() -> saslPrep("a\u2028"), "C.2.2");
            assertProhibited(() -> saslPrep("a\uE000"), "C.3");
            assertProhibited(() -> saslPrep("a\uDB80\uDC00"), "C.3"); // U+F0000, supplementary private use
            assertProhibited(() -> saslPrep("a\uFDD0"), "C.4");
            assertProhibited(() -> saslPrep("a\uD83F\uDFFF"), "C.4"); // U+1FFFF
            assertProhibited(() -> saslPrep("a\uD800b"), "C.5");
            assertProhibited(() -> saslPrep("a\uFFFD"), "C.6");
            assertProhibited(() -> saslPrep("a\u2FF0"), "C.7");
            assertProhibited(() -> saslPrep("a\u200E"), "C.8");
            assertProhibited(() -> saslPrep("a\uDB40\uDC01"), "C.9"); // U+E0001 LANGUAGE TAG
            assertProhibited(() -> saslPrep("a\u0378"), "unassigned");
        }

        @Test
        void bidiRules() {
            assertThat(saslPrep("\u05D0\u05D1")).isEqualTo("\u05D0\u05D1"); // all Hebrew
            assertThat(saslPrep("\u0627 1 \u0628")).isEqualTo("\u0627 1 \u0628"); // R/AL at both ends, neutral inside
            assertThat(saslPrep("abc 1")).isEqualTo("abc 1"); // no RandALCat: no constraint
            assertProhibited(() -> saslPrep("\u05D0a\u05D1"), "§6 rule 2"); // R and L mixed
            assertProhibited(() -> saslPrep("1\u05D0"), "§6 rule 3"); // does not start with R/AL
        }

        @Test
        void errorsNameTheRuleAndIndexButNotTheCharacter() {
            assertThatThrownBy(() -> saslPrep("secret\u0007x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("SASLprep: prohibited ASCII control character (RFC 3454 C.2.1) at index 6")
                    .message().doesNotContain("secret");
        }
    }

    @Nested
    class OpaqueString {

        @Test
        void asciiIsUnchanged() {
            String printable = "!\"#$%&'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~ inner space";
            assertThat(opaqueString(printable)).isEqualTo(printable);
            assertThat(opaqueString("VOkJxbRl1RmTxUk/WvJxBt")).isEqualTo("VOkJxbRl1RmTxUk/WvJxBt");
        }

        @Test
        void nonAsciiSpacesBecomeSpaces() {
            assertThat(opaqueString("a\u00A0b\u2003c\u3000d\u202Fe")).isEqualTo("a b c d e");
        }

        @Test
        void normalizationIsNfcNotNfkc() {
            assertThat(opaqueString("e\u0301")).isEqualTo("\u00E9");
            assertThat(opaqueString("\uFB01")).isEqualTo("\uFB01"); // compatibility characters are kept
            assertThat(opaqueString("\u00AA\u2168\uFF21")).isEqualTo("\u00AA\u2168\uFF21");
            assertThat(opaqueString("\u212B")).isEqualTo("\u00C5"); // ANGSTROM SIGN has a canonical decomposition
        }

        @Test
        void caseAndWidthArePreserved() {
            assertThat(opaqueString("PassWORD\uFF41")).isEqualTo("PassWORD\uFF41");
        }

        @Test
        void lettersDigitsSymbolsPunctuationAndMarksAreValid() {
            assertThat(opaqueString("\u00DF\u03C2\u0416\u4E2D\u0661\u20AC\u2665\u00BF\u0915\u094D\u0937\u2460"))
                    .isEqualTo("\u00DF\u03C2\u0416\u4E2D\u0661\u20AC\u2665\u00BF\u0915\u094D\u0937\u2460");
            assertThat(opaqueString("\uD83D\uDE00")).isEqualTo("\uD83D\uDE00"); // emoji, So
        }

        @Test
        void emptyIsRejected() {
            assertThatThrownBy(() -> opaqueString("")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("empty");
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "a\u0000", "a\t", "a\n", "a\u007F", "a\u0085", // controls
            "a\u00AD", "a\u200B", "a\u034F", "a\uFEFF", "a\u2060", "a\u180E", // default ignorable
            "a\uFDD0", "a\uFFFE", // non-characters
            "a\uE000", "a\uDB80\uDC00", // private use
            "a\uD800", // lone surrogate
            "a\u0378", // unassigned
            "a\u2028", "a\u2029", // line and paragraph separators
            "a\u0600", // ARABIC NUMBER SIGN, Cf
            "a\u1100", "a\u11A8", // old Hangul jamo
            "a\u0640", "a\u3031", // disallowed exceptions of RFC 5892 §2.6
        })
        void disallowedCodePointsAreRejected(String s) {
            assertThatThrownBy(() -> opaqueString(s)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("OpaqueString: ").hasMessageContaining("at index 1");
        }

        @Test
        void modernHangulJamoComposeIntoValidSyllables() {
            assertThat(opaqueString("\u1112\u1161\u11AB")).isEqualTo("\uD55C"); // NFC gives HANGUL SYLLABLE HAN
        }

        @Test
        void joinersNeedAPrecedingVirama() {
            assertThat(opaqueString("\u0915\u094D\u200D\u0937")).isEqualTo("\u0915\u094D\u200D\u0937");
            assertThat(opaqueString("\u0915\u094D\u200C\u0937")).isEqualTo("\u0915\u094D\u200C\u0937");
            assertThatThrownBy(() -> opaqueString("a\u200Db")).hasMessageContaining("joiner");
            assertThatThrownBy(() -> opaqueString("\u200Cb")).hasMessageContaining("joiner");
        }

        @Test
        void contextualRulesOfRfc5892() {
            assertThat(opaqueString("l\u00B7l")).isEqualTo("l\u00B7l"); // Catalan middle dot
            assertThatThrownBy(() -> opaqueString("a\u00B7b")).hasMessageContaining("context");
            assertThat(opaqueString("\u0375\u03B1")).isEqualTo("\u0375\u03B1"); // before Greek
            assertThatThrownBy(() -> opaqueString("\u0375a")).hasMessageContaining("context");
            assertThat(opaqueString("\u05D0\u05F3")).isEqualTo("\u05D0\u05F3"); // after Hebrew
            assertThatThrownBy(() -> opaqueString("a\u05F4")).hasMessageContaining("context");
            assertThat(opaqueString("\u30A2\u30FB\u30A4")).isEqualTo("\u30A2\u30FB\u30A4"); // with Katakana
            assertThatThrownBy(() -> opaqueString("a\u30FBb")).hasMessageContaining("context");
            assertThat(opaqueString("\u0661\u0662")).isEqualTo("\u0661\u0662");
            assertThat(opaqueString("\u06F1\u06F2")).isEqualTo("\u06F1\u06F2");
            assertThatThrownBy(() -> opaqueString("\u0661\u06F2")).hasMessageContaining("context");
        }

        @Test
        void theRfc8489PasswordIsRejectedForItsSoftHyphen() {
            assertThatThrownBy(() -> opaqueString("The\u00ADM\u00AAtr\u2168"))
                    .hasMessage("OpaqueString: ignorable or non-character code point at index 3 (RFC 8264 §4.3, FreeformClass)");
        }
    }

    static void assertProhibited(ThrowingCallable call, String rule) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("SASLprep: ").hasMessageContaining(rule);
    }
}
