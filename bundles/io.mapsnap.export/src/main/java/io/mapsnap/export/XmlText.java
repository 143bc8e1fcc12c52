package io.mapsnap.export;

/**
 * Untrusted text (frame and process names) made safe for XML character data and attribute values. Besides the five
 * markup characters, a name can hold characters XML 1.0 forbids outright (NUL and most C0 controls, lone surrogates,
 * U+FFFE/U+FFFF) — even as character references — which would leave the document unreadable: those become U+FFFD.
 * Tab, newline and carriage return are legal but an attribute value would fold them to spaces (and a carriage
 * return in text to a newline), so they are written as character references and read back as they were.
 */
final class XmlText {
    private XmlText() {
    }

    static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                case '\t' -> "&#9;";
                case '\n' -> "&#10;";
                case '\r' -> "&#13;";
                default -> null;
            };
            if (replacement == null && !legal(s, i)) {
                replacement = "\uFFFD";
            }
            if (replacement != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }

    /** XML 1.0's Char production, for the UTF-16 unit at {@code i} (a surrogate is legal only in a pair). */
    private static boolean legal(String s, int i) {
        char c = s.charAt(i);
        if (c < 0x20) {
            return c == '\t' || c == '\n' || c == '\r';
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        }
        return c != '\uFFFE' && c != '\uFFFF';
    }
}
