package org.emailconfig.api;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Describes one field of an authentication type's form, so a host UI can render the form and redraw
 * it when the administrator switches type.
 *
 * @param name             the field name used in {@link ConfigurationDraft}, never blank
 * @param kind             the input kind
 * @param required         whether the field must be filled whenever it is shown
 * @param defaultValue     the value to prefill, or null
 * @param allowedValues    for {@link FieldKind#CHOICE}: the values, in display order; otherwise empty
 * @param labels           label by language tag ("en" is required, "de" is provided by built-in types)
 * @param shownWhen        name of a {@link FieldKind#BOOLEAN} field that must be true for this field to be
 *                         shown and required, or null when always shown
 * @param reenterWhenChanged for {@link FieldKind#SECRET}: names of fields whose change requires the
 *                         secret to be entered again, so a stored secret is never replayed to a new
 *                         server or account
 */
@API(status = API.Status.STABLE, since = "0.1")
public record FieldDescriptor(String name, FieldKind kind, boolean required, @Nullable String defaultValue,
                              List<String> allowedValues, Map<String, String> labels, @Nullable String shownWhen,
                              List<String> reenterWhenChanged) {

    /**
     * Copies collections and checks that an English label exists.
     *
     * @param name the field name used in {@link ConfigurationDraft}, never blank
     * @param kind the input kind
     * @param required whether the field must be filled whenever it is shown
     * @param defaultValue the value to prefill, or null
     * @param allowedValues for {@link FieldKind#CHOICE}: the values, in display order; otherwise empty
     * @param labels label by language tag ("en" is required, "de" is provided by built-in types)
     * @param shownWhen name of a {@link FieldKind#BOOLEAN} field that must be true for this field to be shown and required, or null when always shown
     * @param reenterWhenChanged for {@link FieldKind#SECRET}: names of fields whose change requires the secret to be entered again, so a stored secret is never replayed to a new server or account
     */
    public FieldDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        allowedValues = List.copyOf(allowedValues);
        labels = Map.copyOf(labels);
        reenterWhenChanged = List.copyOf(reenterWhenChanged);
        if (!labels.containsKey("en")) {
            throw new IllegalArgumentException("field '" + name + "' needs an English label");
        }
        if (kind == FieldKind.CHOICE && allowedValues.isEmpty()) {
            throw new IllegalArgumentException("choice field '" + name + "' needs allowed values");
        }
    }

    /**
     * Starts a descriptor.
     *
     * @param name    field name
     * @param kind    input kind
     * @param english the English label
     * @param german  the German label
     * @return a builder
     */
    public static Builder builder(String name, FieldKind kind, String english, String german) {
        return new Builder(name, kind, english).label("de", german);
    }

    /**
     * Starts a descriptor with an English label; add other languages with {@link Builder#label}.
     *
     * @param name    field name
     * @param kind    input kind
     * @param english the English label
     * @return a builder
     */
    public static Builder builder(String name, FieldKind kind, String english) {
        return new Builder(name, kind, english);
    }

    /**
     * Whether this is a secret field.
     *
     * @return true for {@link FieldKind#SECRET}
     */
    public boolean secret() {
        return kind == FieldKind.SECRET;
    }

    /**
     * The label in a locale's language, falling back to English.
     *
     * @param locale never null
     * @return the label
     */
    public String label(Locale locale) {
        String label = labels.get(locale.getLanguage());
        return label != null ? label : Objects.requireNonNull(labels.get("en"), "en");
    }

    /**
     * The controlling boolean field, if any.
     *
     * @return the name of the field that shows this one
     */
    public Optional<String> shownWhenField() {
        return Optional.ofNullable(shownWhen);
    }

    /** Builds a {@link FieldDescriptor}. */
    public static final class Builder {
        private final String name;
        private final FieldKind kind;
        private final Map<String, String> labels = new java.util.LinkedHashMap<>();
        private boolean required;
        private @Nullable String defaultValue;
        private List<String> allowedValues = List.of();
        private @Nullable String shownWhen;
        private List<String> reenterWhenChanged = List.of();

        private Builder(String name, FieldKind kind, String english) {
            this.name = name;
            this.kind = kind;
            this.labels.put("en", Objects.requireNonNull(english, "english"));
        }

        /**
         * Adds or replaces the label in one language.
         *
         * @param languageTag a language such as {@code de} or {@code fr} ({@link Locale#getLanguage()})
         * @param text        the label
         * @return this
         */
        public Builder label(String languageTag, String text) {
            labels.put(Objects.requireNonNull(languageTag, "languageTag"), Objects.requireNonNull(text, "text"));
            return this;
        }

        /**
         * Marks the field required.
         *
         * @return this
         */
        public Builder required() {
            this.required = true;
            return this;
        }

        /**
         * Sets the prefilled value.
         *
         * @param value the default
         * @return this
         */
        public Builder defaultValue(String value) {
            this.defaultValue = value;
            return this;
        }

        /**
         * Sets the allowed values of a choice.
         *
         * @param values in display order
         * @return this
         */
        public Builder allowedValues(List<String> values) {
            this.allowedValues = List.copyOf(values);
            return this;
        }

        /**
         * Shows the field only while a boolean field is true.
         *
         * @param booleanField the controlling field
         * @return this
         */
        public Builder shownWhen(String booleanField) {
            this.shownWhen = booleanField;
            return this;
        }

        /**
         * For a secret: fields whose change requires re-entering it.
         *
         * @param fields field names
         * @return this
         */
        public Builder reenterWhenChanged(String... fields) {
            this.reenterWhenChanged = List.of(fields);
            return this;
        }

        /**
         * Builds the descriptor.
         *
         * @return the descriptor
         */
        public FieldDescriptor build() {
            return new FieldDescriptor(name, kind, required, defaultValue, allowedValues, labels, shownWhen,
                    reenterWhenChanged);
        }
    }
}
