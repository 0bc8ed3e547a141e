package org.emailconfig.api;

/** Character checks shared by the value types; kept here so every type applies the same rules. */
final class Text {

    private Text() {
    }

    /** True for CR, LF, TAB, NUL and every other C0/C1 control character or DEL. */
    static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i)) || s.charAt(i) == '\u2028' || s.charAt(i) == '\u2029') {
                return true;
            }
        }
        return false;
    }

    /** A DNS host name (letters, digits, hyphens, dots) or an IPv4 literal; at most 253 characters. */
    static boolean isHostName(String s) {
        if (s.isEmpty() || s.length() > 253 || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            return false;
        }
        for (String label : s.split("\\.")) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-';
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A bracket-free IPv6 literal such as {@code ::1}; only the character set is checked. */
    static boolean isIpv6Literal(String s) {
        if (s.indexOf(':') < 0 || s.length() > 45) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
