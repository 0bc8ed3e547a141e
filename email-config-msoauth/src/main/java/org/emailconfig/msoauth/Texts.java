package org.emailconfig.msoauth;

import java.util.Locale;
import java.util.ResourceBundle;

import org.emailconfig.api.LocalizedText;

/** This provider's texts in English and German: {@code Texts.properties} and {@code Texts_de.properties}. */
final class Texts {

    private Texts() {
    }

    static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle("org.emailconfig.msoauth.Texts", locale);
    }

    static LocalizedText text(String key, Object... args) {
        return LocalizedText.fromBundle(Texts::bundle, key, args);
    }
}
