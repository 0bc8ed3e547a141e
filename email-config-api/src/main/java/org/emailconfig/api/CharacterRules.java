package org.emailconfig.api;

/** Character checks shared by the value types; kept here so every type applies the same rules. */
final class CharacterRules {

    private CharacterRules() {
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

    /**
     * An IPv6 address as RFC 4291 writes it (eight groups, one "::" at most, an IPv4 tail allowed). A
     * character check alone let "127.0.0.1:25" through as if it were an address.
     */
    static boolean isIpv6Literal(String s) {
        if (s.length() > 45 || s.indexOf(':') < 0 || s.contains(":::")) {
            return false;
        }
        int compressed = s.indexOf("::");
        if (compressed >= 0 && s.indexOf("::", compressed + 1) >= 0) {
            return false;
        }
        if (s.startsWith(":") && !s.startsWith("::") || s.endsWith(":") && !s.endsWith("::")) {
            return false;
        }
        String[] parts = s.split(":", -1);
        int groups = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty()) {
                continue;
            }
            if (i == parts.length - 1 && p.indexOf('.') >= 0) {
                if (!isIpv4(p)) {
                    return false;
                }
                groups += 2;
                continue;
            }
            if (p.length() > 4 || !p.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f'
                    || c >= 'A' && c <= 'F')) {
                return false;
            }
            groups++;
        }
        return compressed >= 0 ? groups < 8 : groups == 8;
    }

    private static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
