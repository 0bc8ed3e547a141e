package org.emailconfig.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ListResourceBundle;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/** A text is a lookup by language with English as the fallback, so a third language is data, not API. */
class LocalizedTextTest {

    private static ResourceBundle bundle(Locale locale, String text) {
        return new ListResourceBundle() {
            @Override
            protected Object[][] getContents() {
                return new Object[][] {{"port", text}};
            }

            @Override
            public Locale getLocale() {
                return locale;
            }
        };
    }

    private static final ResourceBundle ENGLISH = bundle(Locale.ROOT, "Port {0} is closed");
    private static final ResourceBundle GERMAN = bundle(Locale.GERMAN, "Port {0} ist geschlossen");
    private static final ResourceBundle FRENCH = bundle(Locale.FRENCH, "Le port {0} est ferm\u00e9");

    /** As {@code ResourceBundle.getBundle} behaves on a server whose default locale is German. */
    private static final Function<Locale, ResourceBundle> ON_A_GERMAN_SERVER = locale -> switch (locale.getLanguage()) {
        case "" -> ENGLISH;
        case "fr" -> FRENCH;
        default -> GERMAN;
    };

    @Test
    void aThirdLanguageIsOneMoreEntryAndOnlyTheLanguageCounts() {
        LocalizedText text = LocalizedText.of("Saved", Map.of(Locale.FRENCH, "Enregistr\u00e9", Locale.GERMAN, "Gespeichert"));
        assertEquals("Enregistr\u00e9", text.in(Locale.CANADA_FRENCH));
        assertEquals("Gespeichert", text.in(new Locale("de", "CH")));
        assertEquals("Saved", text.in(Locale.ITALIAN));
        assertEquals("Saved", text.in(Locale.ROOT));
        assertEquals("Saved", text.english());
        assertEquals(Map.of(Locale.FRENCH, "Enregistr\u00e9", Locale.GERMAN, "Gespeichert"), text.translations());
        assertEquals(LocalizedText.of("Saved", "Gespeichert").with(Locale.FRANCE, "Enregistr\u00e9"), text);
        assertEquals("Saved", LocalizedText.of("Saved", "Gespeichert").in(Locale.FRENCH), "with() left the original alone");
        assertThrows(IllegalArgumentException.class, () -> text.with(Locale.UK, "Saved!"));
        assertThrows(IllegalArgumentException.class, () -> text.with(Locale.ROOT, "Saved!"));
    }

    @Test
    void aTextFromBundlesReadsEveryLanguageTheBundlesHaveAndNeverTheServersDefault() {
        LocalizedText text = LocalizedText.fromBundle(ON_A_GERMAN_SERVER, "port", 2525);
        assertEquals("Port 2525 is closed", text.in(Locale.ENGLISH));
        assertEquals("Port 2525 ist geschlossen", text.in(Locale.GERMANY));
        assertEquals("Le port 2525 est ferm\u00e9", text.in(Locale.FRANCE), "a language the bundles have, looked up");
        assertEquals("Port 2525 is closed", text.in(new Locale("es")), "not the German the server's default gives");
        assertEquals(Map.of(Locale.GERMAN, "Port 2525 ist geschlossen"), text.translations());
    }

    @Test
    void anArgumentThatIsATextIsInsertedInTheReadersLanguage() {
        LocalizedText where = LocalizedText.of("the relay", "dem Relay").with(Locale.FRENCH, "le relais");
        Function<Locale, ResourceBundle> bundles = locale -> switch (locale.getLanguage()) {
            case "fr" -> bundle(Locale.FRENCH, "Ferm\u00e9 : {0}");
            case "de" -> bundle(Locale.GERMAN, "Geschlossen bei {0}");
            default -> bundle(Locale.ROOT, "Closed at {0}");
        };
        LocalizedText text = LocalizedText.fromBundle(bundles, "port", where);
        assertEquals("Ferm\u00e9 : le relais", text.in(Locale.FRENCH));
        assertEquals("Geschlossen bei dem Relay", text.in(Locale.GERMAN));
        assertEquals("Closed at the relay", text.in(Locale.JAPANESE));
    }

    @Test
    void aSerializedTextKeepsEnglishAndTheTranslationsItWasMadeWith() throws IOException, ClassNotFoundException {
        LocalizedText text = LocalizedText.fromBundle(ON_A_GERMAN_SERVER, "port", 2525);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(text);
        }
        LocalizedText back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (LocalizedText) in.readObject();
        }
        assertEquals(text, back);
        assertEquals("Port 2525 ist geschlossen", back.in(Locale.GERMAN));
        assertEquals("Port 2525 is closed", back.in(Locale.FRENCH), "the bundles are not at hand after the trip");
        assertNotEquals(text, LocalizedText.untranslated(text.english()));
    }
}
