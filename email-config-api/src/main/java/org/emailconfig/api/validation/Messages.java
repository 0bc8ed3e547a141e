package org.emailconfig.api.validation;

/** Escapes text so Jakarta Validation's interpolation leaves it as it is. */
final class Messages {

    private Messages() {
    }

    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
    }
}
