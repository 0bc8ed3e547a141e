package org.emailconfig.core.internal.text;

import java.util.Locale;
import java.util.ResourceBundle;

import org.apiguardian.api.API;
import org.emailconfig.api.LocalizedText;

/** The engine's texts in English and German: {@code Texts.properties} and {@code Texts_de.properties}. */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class CoreTexts {

    private static final String BUNDLE = "org.emailconfig.core.internal.text.Texts";

    private CoreTexts() {
    }

    /**
     * A text of the engine.
     *
     * @param key  present in both bundles
     * @param args placeholder values
     * @return the text in both languages
     */
    public static LocalizedText text(String key, Object... args) {
        return LocalizedText.fromBundle(CoreTexts::bundle, key, args);
    }

    private static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle(BUNDLE, locale);
    }
}
