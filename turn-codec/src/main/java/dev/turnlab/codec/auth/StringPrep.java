package dev.turnlab.codec.auth;

import java.text.Normalizer;
import java.util.Objects;

/**
 * The two string preparations STUN applies to credentials: SASLprep (RFC 4013, used by RFC 5389
 * §15.4) and the PRECIS OpaqueString profile (RFC 8265 §4.2, used by RFC 8489 §9.2.2). Both are
 * written against the JDK's {@link Normalizer} and {@link Character} tables, so they follow the
 * JDK's Unicode version rather than Unicode 3.2 (SASLprep) or the version a PRECIS table was
 * derived from; the differences concern code points assigned after those versions.
 *
 * <p>Rejected input raises {@link IllegalArgumentException} naming the rule and the index of the
 * offending code point, never the code point itself: the input is usually a password, and one
 * of its characters in a log is already too much.
 */
public final class StringPrep {

    private StringPrep() {
    }

    /**
     * SASLprep (RFC 4013): maps non-ASCII spaces (RFC 3454 C.1.2) to U+0020 and the characters of
     * B.1 to nothing, normalizes with NFKC, rejects the prohibited code points of RFC 4013 §2.3 and
     * checks the bidirectional rules of RFC 3454 §6.
     *
     * <p>Unassigned code points are rejected, as RFC 3454 §7 requires for stored strings: passwords
     * become stored keys. "Unassigned" means unassigned in the JDK's Unicode version, a smaller set
     * than table A.1 of Unicode 3.2, so characters assigned since are accepted. U+200B is in both
     * C.1.2 and B.1: following the order of RFC 4013 §2.1 it becomes a space (some implementations
     * drop it instead).
     */
    public static String saslPrep(String s) {
        Objects.requireNonNull(s, "string");
        StringBuilder mapped = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (isNonAsciiSpace3454(cp)) {
                mapped.append(' ');
            } else if (!in(cp, MAPPED_TO_NOTHING)) {
                mapped.appendCodePoint(cp);
            }
        });
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
        checkProhibited3454(normalized);
        checkBidi3454(normalized);
        return normalized;
    }

    /**
     * The OpaqueString profile of the PRECIS FreeformClass (RFC 8265 §4.2): maps non-ASCII spaces
     * (general category Zs) to U+0020, normalizes with NFC, and accepts the result if it is not
     * empty and every code point is valid in the FreeformClass (RFC 8264 §4.3, §8, §9).
     *
     * <p>One simplification: ZERO WIDTH NON-JOINER and ZERO WIDTH JOINER (CONTEXTJ, RFC 5892
     * Appendix A.1, A.2) are accepted only after a virama; the second rule for ZWNJ, which needs
     * Arabic joining types the JDK does not expose, is not implemented, so such strings are
     * rejected rather than wrongly accepted.
     */
    public static String opaqueString(String s) {
        Objects.requireNonNull(s, "string");
        StringBuilder mapped = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> mapped.appendCodePoint(
                cp != ' ' && Character.getType(cp) == Character.SPACE_SEPARATOR ? ' ' : cp));
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFC);
        if (normalized.isEmpty()) {
            throw new IllegalArgumentException("OpaqueString: empty string (RFC 8265 §4.2.2)");
        }
        checkFreeform(normalized);
        return normalized;
    }

    // ---- SASLprep tables (RFC 3454 appendices), as sorted inclusive ranges ----

    // B.1, "commonly mapped to nothing".
    private static final int[] MAPPED_TO_NOTHING = {
        0x00AD, 0x00AD, 0x034F, 0x034F, 0x1806, 0x1806, 0x180B, 0x180D, 0x200B, 0x200D,
        0x2060, 0x2060, 0xFE00, 0xFE0F, 0xFEFF, 0xFEFF,
    };

    // C.1.2, non-ASCII space characters.
    private static final int[] NON_ASCII_SPACE = {
        0x00A0, 0x00A0, 0x1680, 0x1680, 0x2000, 0x200B, 0x202F, 0x202F, 0x205F, 0x205F, 0x3000, 0x3000,
    };

    // C.2.2, non-ASCII control characters.
    private static final int[] NON_ASCII_CONTROL = {
        0x0080, 0x009F, 0x06DD, 0x06DD, 0x070F, 0x070F, 0x180E, 0x180E, 0x200C, 0x200D, 0x2028, 0x2029,
        0x2060, 0x2063, 0x206A, 0x206F, 0xFEFF, 0xFEFF, 0xFFF9, 0xFFFC, 0x1D173, 0x1D17A,
    };

    // C.3 private use, C.5 surrogates, C.6 inappropriate for plain text, C.7 inappropriate for
    // canonical representation, C.8 change display properties, C.9 tagging characters.
    private static final int[] PRIVATE_USE = {0xE000, 0xF8FF, 0xF0000, 0xFFFFD, 0x100000, 0x10FFFD};
    private static final int[] SURROGATE = {0xD800, 0xDFFF};
    private static final int[] NOT_PLAIN_TEXT = {0xFFF9, 0xFFFD};
    private static final int[] NOT_CANONICAL = {0x2FF0, 0x2FFB};
    private static final int[] DISPLAY_PROPERTY = {
        0x0340, 0x0341, 0x200E, 0x200F, 0x202A, 0x202E, 0x206A, 0x206F,
    };
    private static final int[] TAGGING = {0xE0001, 0xE0001, 0xE0020, 0xE007F};

    private static boolean isNonAsciiSpace3454(int cp) {
        return in(cp, NON_ASCII_SPACE);
    }

    private static void checkProhibited3454(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            String rule = prohibited3454(cp);
            if (rule != null) {
                throw new IllegalArgumentException("SASLprep: prohibited " + rule + " at index " + i);
            }
            i += Character.charCount(cp);
        }
    }

    /** The RFC 3454 table that prohibits {@code cp} in SASLprep (RFC 4013 §2.3, §2.5), or null. */
    private static String prohibited3454(int cp) {
        if (isNonAsciiSpace3454(cp)) {
            return "non-ASCII space (RFC 3454 C.1.2)";
        }
        if (cp < 0x20 || cp == 0x7F) {
            return "ASCII control character (RFC 3454 C.2.1)";
        }
        if (in(cp, NON_ASCII_CONTROL)) {
            return "non-ASCII control character (RFC 3454 C.2.2)";
        }
        if (in(cp, PRIVATE_USE)) {
            return "private use code point (RFC 3454 C.3)";
        }
        if (isNoncharacter(cp)) {
            return "non-character code point (RFC 3454 C.4)";
        }
        if (in(cp, SURROGATE)) {
            return "unpaired surrogate (RFC 3454 C.5)";
        }
        if (in(cp, NOT_PLAIN_TEXT)) {
            return "character inappropriate for plain text (RFC 3454 C.6)";
        }
        if (in(cp, NOT_CANONICAL)) {
            return "character inappropriate for canonical representation (RFC 3454 C.7)";
        }
        if (in(cp, DISPLAY_PROPERTY)) {
            return "character changing display properties (RFC 3454 C.8)";
        }
        if (in(cp, TAGGING)) {
            return "tagging character (RFC 3454 C.9)";
        }
        if (Character.getType(cp) == Character.UNASSIGNED) {
            return "unassigned code point (RFC 3454 §7, stored strings)";
        }
        return null;
    }

    /**
     * RFC 3454 §6: a string with any RandALCat character contains no LCat character and starts and
     * ends with a RandALCat character. RandALCat is bidi class R or AL, LCat is L (tables D.1, D.2).
     */
    private static void checkBidi3454(String s) {
        boolean hasRandAL = false;
        boolean hasL = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            hasRandAL |= isRandAL(cp);
            hasL |= Character.getDirectionality(cp) == Character.DIRECTIONALITY_LEFT_TO_RIGHT;
            i += Character.charCount(cp);
        }
        if (!hasRandAL) {
            return;
        }
        if (hasL) {
            throw new IllegalArgumentException(
                    "SASLprep: mixes right-to-left and left-to-right characters (RFC 3454 §6 rule 2)");
        }
        if (!isRandAL(s.codePointAt(0)) || !isRandAL(s.codePointBefore(s.length()))) {
            throw new IllegalArgumentException(
                    "SASLprep: right-to-left string must start and end with a right-to-left character (RFC 3454 §6 rule 3)");
        }
    }

    private static boolean isRandAL(int cp) {
        byte d = Character.getDirectionality(cp);
        return d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }

    // ---- PRECIS FreeformClass (RFC 8264 §8, §9; exceptions from RFC 5892 §2.6) ----

    private enum Property { PVALID, CONTEXTJ, CONTEXTO, DISALLOWED, UNASSIGNED }

    private static final int[] EXCEPTION_PVALID = {
        0x00DF, 0x00DF, 0x03C2, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x0F0B, 0x3007, 0x3007,
    };
    private static final int[] EXCEPTION_CONTEXTO = {
        0x00B7, 0x00B7, 0x0375, 0x0375, 0x05F3, 0x05F4, 0x0660, 0x0669, 0x06F0, 0x06F9, 0x30FB, 0x30FB,
    };
    private static final int[] EXCEPTION_DISALLOWED = {
        0x0640, 0x0640, 0x07FA, 0x07FA, 0x302E, 0x302F, 0x3031, 0x3035, 0x303B, 0x303B,
    };

    // Hangul_Syllable_Type L, V or T (RFC 8264 §9.5), with the unassigned gaps of those blocks.
    private static final int[] OLD_HANGUL_JAMO = {0x1100, 0x11FF, 0xA960, 0xA97F, 0xD7B0, 0xD7FF};

    // Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt), for RFC 8264 §9.13.
    private static final int[] DEFAULT_IGNORABLE = {
        0x00AD, 0x00AD, 0x034F, 0x034F, 0x061C, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180F,
        0x200B, 0x200F, 0x202A, 0x202E, 0x2060, 0x206F, 0x3164, 0x3164, 0xFE00, 0xFE0F, 0xFEFF, 0xFEFF,
        0xFFA0, 0xFFA0, 0xFFF0, 0xFFF8, 0x1BCA0, 0x1BCA3, 0x1D173, 0x1D17A, 0xE0000, 0xE0FFF,
    };

    // The BMP code points with canonical combining class 9 (Virama); the JDK does not expose the class.
    private static final int[] VIRAMA = {
        0x094D, 0x094D, 0x09CD, 0x09CD, 0x0A4D, 0x0A4D, 0x0ACD, 0x0ACD, 0x0B4D, 0x0B4D, 0x0BCD, 0x0BCD,
        0x0C4D, 0x0C4D, 0x0CCD, 0x0CCD, 0x0D3B, 0x0D3C, 0x0D4D, 0x0D4D, 0x0DCA, 0x0DCA, 0x0E3A, 0x0E3A,
        0x0EBA, 0x0EBA, 0x0F84, 0x0F84, 0x1039, 0x103A, 0x1714, 0x1715, 0x1734, 0x1734, 0x17D2, 0x17D2,
        0x1A60, 0x1A60, 0x1B44, 0x1B44, 0x1BAA, 0x1BAB, 0x1BF2, 0x1BF3, 0x2D7F, 0x2D7F, 0xA806, 0xA806,
        0xA82C, 0xA82C, 0xA8C4, 0xA8C4, 0xA953, 0xA953, 0xA9C0, 0xA9C0, 0xAAF6, 0xAAF6, 0xABED, 0xABED,
    };

    private static void checkFreeform(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            Property p = freeformProperty(cp);
            boolean valid = switch (p) {
                case PVALID -> true;
                case CONTEXTJ -> i > 0 && in(s.codePointBefore(i), VIRAMA);
                case CONTEXTO -> contextOk(s, i, cp);
                case DISALLOWED, UNASSIGNED -> false;
            };
            if (!valid) {
                throw new IllegalArgumentException("OpaqueString: " + describe(p, cp) + " at index " + i
                        + " (RFC 8264 §4.3, FreeformClass)");
            }
            i += Character.charCount(cp);
        }
    }

    /** The FreeformClass derived property of {@code cp}: the rules of RFC 8264 §8 in their order. */
    private static Property freeformProperty(int cp) {
        if (in(cp, EXCEPTION_PVALID)) {
            return Property.PVALID;
        }
        if (in(cp, EXCEPTION_CONTEXTO)) {
            return Property.CONTEXTO;
        }
        if (in(cp, EXCEPTION_DISALLOWED)) {
            return Property.DISALLOWED;
        }
        int type = Character.getType(cp);
        if (type == Character.UNASSIGNED && !isNoncharacter(cp)) {
            return Property.UNASSIGNED;
        }
        if (cp >= 0x21 && cp <= 0x7E) {
            return Property.PVALID;
        }
        if (cp == 0x200C || cp == 0x200D) {
            return Property.CONTEXTJ;
        }
        if (in(cp, OLD_HANGUL_JAMO) || in(cp, DEFAULT_IGNORABLE) || isNoncharacter(cp) || type == Character.CONTROL) {
            return Property.DISALLOWED;
        }
        // HasCompat (§9.9) and every class the FreeformClass allows (§9.10-§9.14) are valid in it.
        return hasCompat(cp) || isFreeformCategory(type) ? Property.PVALID : Property.DISALLOWED;
    }

    private static boolean isFreeformCategory(int type) {
        switch (type) {
            // LetterDigits (§9.10) and OtherLetterDigits (§9.11).
            case Character.LOWERCASE_LETTER, Character.UPPERCASE_LETTER, Character.OTHER_LETTER,
                    Character.DECIMAL_DIGIT_NUMBER, Character.MODIFIER_LETTER, Character.NON_SPACING_MARK,
                    Character.COMBINING_SPACING_MARK, Character.TITLECASE_LETTER, Character.LETTER_NUMBER,
                    Character.OTHER_NUMBER, Character.ENCLOSING_MARK:
                return true;
            // Spaces (§9.12), Symbols (§9.13), Punctuation (§9.14).
            case Character.SPACE_SEPARATOR, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL, Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION:
                return true;
            default:
                return false;
        }
    }

    private static boolean hasCompat(int cp) {
        String one = new String(Character.toChars(cp));
        return !Normalizer.isNormalized(one, Normalizer.Form.NFKC);
    }

    /** The CONTEXTO rules of RFC 5892 Appendix A.3-A.9 for the code point at index {@code i}. */
    private static boolean contextOk(String s, int i, int cp) {
        switch (cp) {
            case 0x00B7: // MIDDLE DOT, between two 'l' (A.3)
                return i > 0 && s.codePointBefore(i) == 'l' && i + 1 < s.length() && s.codePointAt(i + 1) == 'l';
            case 0x0375: // GREEK LOWER NUMERAL SIGN, before a Greek character (A.4)
                return i + 1 < s.length() && script(s.codePointAt(i + 1)) == Character.UnicodeScript.GREEK;
            case 0x05F3, 0x05F4: // HEBREW GERESH and GERSHAYIM, after a Hebrew character (A.5, A.6)
                return i > 0 && script(s.codePointBefore(i)) == Character.UnicodeScript.HEBREW;
            case 0x30FB: // KATAKANA MIDDLE DOT, with some Hiragana, Katakana or Han in the string (A.7)
                return s.codePoints().anyMatch(c -> c != 0x30FB && isJapanese(script(c)));
            default:
                // ARABIC-INDIC DIGITS and EXTENDED ARABIC-INDIC DIGITS do not mix (A.8, A.9).
                boolean arabicIndic = cp <= 0x0669;
                return s.codePoints().noneMatch(c -> arabicIndic ? c >= 0x06F0 && c <= 0x06F9 : c >= 0x0660 && c <= 0x0669);
        }
    }

    private static Character.UnicodeScript script(int cp) {
        return Character.UnicodeScript.of(cp);
    }

    private static boolean isJapanese(Character.UnicodeScript script) {
        return script == Character.UnicodeScript.HIRAGANA || script == Character.UnicodeScript.KATAKANA
                || script == Character.UnicodeScript.HAN;
    }

    private static String describe(Property p, int cp) {
        if (p == Property.UNASSIGNED) {
            return "unassigned code point";
        }
        if (p == Property.CONTEXTJ) {
            return "joiner without a preceding virama";
        }
        if (p == Property.CONTEXTO) {
            return "character outside its required context";
        }
        int type = Character.getType(cp);
        if (type == Character.CONTROL) {
            return "control character";
        }
        if (in(cp, DEFAULT_IGNORABLE) || isNoncharacter(cp)) {
            return "ignorable or non-character code point";
        }
        return "disallowed code point";
    }

    // ---- shared ----

    /** Noncharacter_Code_Point: U+FDD0-U+FDEF and the last two code points of every plane. */
    private static boolean isNoncharacter(int cp) {
        return cp >= 0xFDD0 && cp <= 0xFDEF || (cp & 0xFFFE) == 0xFFFE;
    }

    /** Whether {@code cp} lies in one of the inclusive ranges {@code ranges[2k]..ranges[2k+1]}. */
    private static boolean in(int cp, int[] ranges) {
        for (int k = 0; k < ranges.length; k += 2) {
            if (cp < ranges[k]) {
                return false;
            }
            if (cp <= ranges[k + 1]) {
                return true;
            }
        }
        return false;
    }
}
