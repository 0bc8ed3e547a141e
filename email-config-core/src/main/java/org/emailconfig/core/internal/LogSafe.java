package org.emailconfig.core.internal;

/**
 * Text an actor or a host typed, made safe for a log line or an audit event: line breaks, other control
 * characters and the invisible Unicode formatting characters that can fake or hide log lines are shown as
 * escapes, and very long text is cut. Nothing an actor typed reaches a log unescaped.
 */
final class LogSafe {

    private static final int MAX = 200;

    private LogSafe() {
    }

    static String text(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX) + 8);
        int i = 0;
        for (; i < s.length() && b.length() < MAX; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                default -> {
                    int type = Character.getType(c);
                    if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                            || type == Character.PARAGRAPH_SEPARATOR) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        // Escapes lengthen the text, so what was cut is measured in characters of the input.
        return i < s.length() ? b.append('…').toString() : b.toString();
    }
}
