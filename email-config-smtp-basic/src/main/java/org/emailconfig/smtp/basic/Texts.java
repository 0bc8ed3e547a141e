package org.emailconfig.smtp.basic;

import java.util.Locale;
import java.util.ResourceBundle;

/** This provider's texts in English and German: {@code Texts.properties} and {@code Texts_de.properties}. */
final class Texts {

    private Texts() {
    }

    static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle("org.emailconfig.smtp.basic.Texts", locale);
    }

    static String text(String key, Locale locale) {
        return org.emailconfig.api.LocalizedText.fromBundle(Texts::bundle, key).in(locale);
    }
}
