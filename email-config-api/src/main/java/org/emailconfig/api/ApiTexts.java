package org.emailconfig.api;

import java.util.ResourceBundle;

/** The api module's texts in English and German ({@code Texts.properties}, {@code Texts_de.properties}). */
final class ApiTexts {

    private ApiTexts() {
    }

    static LocalizedText text(String key, Object... args) {
        return LocalizedText.fromBundle(locale -> ResourceBundle.getBundle("org.emailconfig.api.Texts", locale), key,
                args);
    }
}
