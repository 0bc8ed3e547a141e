package org.emailconfig.core.internal.text;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
/**
 * Text an actor or a host typed, made safe for a log line or an audit event: line breaks, other control
 * characters and the invisible Unicode formatting characters that can fake or hide log lines are shown as
 * escapes, and very long text is cut. Nothing an actor typed reaches a log unescaped.
 */
@API(status = API.Status.INTERNAL, since = "0.3")
public final class LogSafe {

    private static final int MAX = 200;

    private LogSafe() {
    }

    /**
     * The text, safe for one log line.
     *
     * @param s any text, or null
     * @return the escaped, shortened text; null for null
     */
    public static @Nullable String text(@Nullable String s) {
        return s == null ? null : present(s);
    }

    /**
     * The text, safe for one log line, for a text that is there.
     *
     * @param s any text
     * @return the escaped, shortened text
     */
    public static String present(String s) {
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
