package org.emailconfig.core.internal.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Text an actor typed, as it may appear in a log line or audit event. */
class LogSafeTest {

    @Test
    void lineBreaksAndInvisibleFormattingAreShownAsEscapes() {
        assertEquals("a\\nb\\rc\\u2028d\\u202ee\\\\f", LogSafe.text("a\nb\rc\u2028d\u202ee\\f"));
    }

    @Test
    void cutTextSaysSoEvenWhenOnlyItsEscapesMadeItLong() {
        String escaped = LogSafe.text("\n".repeat(150));
        assertTrue(escaped.endsWith("…"), escaped);
        assertFalse(escaped.contains("\n"));
        assertEquals("x".repeat(200), LogSafe.text("x".repeat(200)));
        assertEquals("x".repeat(200) + "…", LogSafe.text("x".repeat(201)));
    }
}
