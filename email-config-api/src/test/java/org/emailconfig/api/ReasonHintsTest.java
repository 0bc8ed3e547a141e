package org.emailconfig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** Every reason's hint exists in English and German, and each language is chosen as asked. */
class ReasonHintsTest {

    private static Set<String> keys(Locale locale) {
        return new TreeSet<>(ResourceBundle.getBundle("org.emailconfig.api.Hints", locale).keySet());
    }

    @Test
    void bothBundlesHoldAHintForEveryReasonAndNothingElse() {
        Set<String> reasons = Arrays.stream(Reason.values()).map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(reasons, keys(Locale.ROOT));
        assertEquals(reasons, keys(Locale.GERMAN));
        for (Reason r : Reason.values()) {
            assertFalse(r.hint(Locale.ENGLISH).isBlank(), r.name());
            assertFalse(r.hint(Locale.GERMAN).isBlank(), r.name());
            assertNotEquals(r.hint(Locale.ENGLISH), r.hint(Locale.GERMAN), r + " has no German text of its own");
        }
    }

    @Test
    void germanLocalesGetGermanAndEveryOtherLocaleEnglishWhateverTheJvmDefault() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            assertEquals("Der Server hat die Anmeldung abgelehnt: Prüfen Sie Benutzername und Passwort.",
                    Reason.AUTH_REJECTED.hint(Locale.GERMANY));
            assertEquals("Authentication was rejected by the server: check username and password.",
                    Reason.AUTH_REJECTED.hint(Locale.ENGLISH));
            // Italian: no bundle of ours or of the scenario tests (which add French as a host would) has it.
            assertEquals(Reason.AUTH_REJECTED.hint(Locale.ENGLISH), Reason.AUTH_REJECTED.hint(Locale.ITALIAN));
            assertEquals(Reason.AUTH_REJECTED.hint(Locale.ENGLISH), Reason.AUTH_REJECTED.defaultHint());
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void anExceptionGivesTheReasonsHintInTheActorsLanguageAndItsOwnWordsAsTheyAre() {
        EmailConfigException generic = new EmailConfigException(Reason.STORE_FAILURE, "could not write");
        assertEquals(Reason.STORE_FAILURE.hint(Locale.GERMAN), generic.hint(Locale.GERMAN));
        assertEquals(Reason.STORE_FAILURE.defaultHint(), generic.hint());
        DeliveryFailedException specific = DeliveryFailedException.builder(Reason.READ_TIMEOUT, "timeout")
                .hint("Port 465 expects SSL/TLS").build();
        assertEquals("Port 465 expects SSL/TLS", specific.hint(Locale.GERMAN));
        DeliveryFailedException retried = DeliveryFailedException.builder(Reason.SERVER_TEMPORARY_FAILURE, "busy")
                .build().toBuilder().attempts(3).build();
        assertEquals(Reason.SERVER_TEMPORARY_FAILURE.hint(Locale.GERMAN), retried.hint(Locale.GERMAN));
    }

    @Test
    void everyConstructorTakesTheHintBeforeTheCause() {
        IllegalStateException cause = new IllegalStateException("disk full");
        LocalizedText words = LocalizedText.of("Free some disk space", "Geben Sie Speicherplatz frei");
        EmailConfigException translated = new EmailConfigException(Reason.STORE_FAILURE, "could not write", words, cause);
        assertEquals("Geben Sie Speicherplatz frei", translated.hint(Locale.GERMAN));
        assertEquals(cause, translated.getCause());
        EmailConfigException plain = new EmailConfigException(Reason.STORE_FAILURE, "could not write",
                "Free some disk space", cause);
        assertEquals("Free some disk space", plain.hint(Locale.GERMAN));
        assertEquals(cause, plain.getCause());
        assertEquals(translated.hint(Locale.GERMAN), oldOrder(words, cause).hint(Locale.GERMAN));
        assertEquals(cause, oldOrder(words, cause).getCause());
    }

    @SuppressWarnings("removal")
    private static EmailConfigException oldOrder(LocalizedText hint, Throwable cause) {
        return new EmailConfigException(Reason.STORE_FAILURE, "could not write", cause, hint);
    }
}
