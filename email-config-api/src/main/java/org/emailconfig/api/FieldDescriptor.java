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
 * it when the administrator switches type. Besides what the engine enforces ({@code required},
 * {@code allowedValues}, {@code shownWhen}, {@code reenterWhenChanged}) it carries what a settings page shows:
 * a {@linkplain #section() section}, help text, labels for choice values, and whether the field is
 * {@linkplain #advanced() advanced} (folded away until asked for).
 *
 * @param name             the field name used in {@link ConfigurationDraft}, never blank
 * @param kind             the input kind
 * @param required         whether the field must be filled whenever it is shown
 * @param defaultValue     the value to prefill, or null
 * @param allowedValues    for {@link FieldKind#CHOICE}: the values, in display order; otherwise empty
 * @param labels           label by language tag ("en" is required, "de" is provided by built-in types)
 * @param shownWhen        the field that controls whether this one is shown (and then required), or null when
 *                         always shown: a {@link FieldKind#BOOLEAN} field that must be true, or, when
 *                         {@code shownWhenValues} is not empty, a {@link FieldKind#CHOICE} field that must hold
 *                         one of those values
 * @param reenterWhenChanged for {@link FieldKind#SECRET}: names of fields whose change requires the
 *                         secret to be entered again, so a stored secret is never replayed to a new
 *                         server or account
 * @param shownWhenValues  the values of the choice {@code shownWhen} for which this field is shown; empty when
 *                         {@code shownWhen} is a switch or null
 * @param section          where a settings page groups the field
 * @param advanced         whether a settings page folds the field away until the administrator asks for it;
 *                         an advanced field is never required without a default, since it may never be seen
 * @param descriptions     help text by language tag (empty, or with "en"), shown beside the input
 * @param valueLabels      for {@link FieldKind#CHOICE}: per allowed value, its label by language tag (each with
 *                         "en"); a value without one is shown as it is
 */
@API(status = API.Status.STABLE, since = "0.1")
public record FieldDescriptor(String name, FieldKind kind, boolean required, @Nullable String defaultValue,
                              List<String> allowedValues, Map<String, String> labels, @Nullable String shownWhen,
                              List<String> reenterWhenChanged, List<String> shownWhenValues, Section section,
                              boolean advanced, Map<String, String> descriptions,
                              Map<String, Map<String, String>> valueLabels) {

    /** Where a settings page groups a field; the page shows the sections in this order. */
    @API(status = API.Status.STABLE, since = "0.3")
    public enum Section {
        /** Who the mail comes from: sender, Reply-To, bounce address. */
        SENDER,
        /** Where and how the mail goes: server, port, encryption, delivery route, endpoints. */
        SERVER,
        /** How the library signs in: the type's credentials. The default for a field that names none. */
        AUTHENTICATION
    }

    /**
     * Copies collections and checks the rules a form relies on: an English label (and help text and choice
     * labels, where given), allowed values for a choice, shown-when values only with a controlling field, choice
     * labels only for allowed values, and no advanced field that is required without a default.
     *
     * @param name the field name used in {@link ConfigurationDraft}, never blank
     * @param kind the input kind
     * @param required whether the field must be filled whenever it is shown
     * @param defaultValue the value to prefill, or null
     * @param allowedValues for {@link FieldKind#CHOICE}: the values, in display order; otherwise empty
     * @param labels label by language tag ("en" is required, "de" is provided by built-in types)
     * @param shownWhen the controlling switch or choice, or null when always shown
     * @param reenterWhenChanged for {@link FieldKind#SECRET}: names of fields whose change requires the secret to be entered again, so a stored secret is never replayed to a new server or account
     * @param shownWhenValues the values of the choice {@code shownWhen} that show this field; empty for a switch
     * @param section where a settings page groups the field
     * @param advanced whether a settings page folds the field away
     * @param descriptions help text by language tag, empty or with "en"
     * @param valueLabels per allowed value, its label by language tag
     */
    public FieldDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(section, "section");
        allowedValues = List.copyOf(allowedValues);
        labels = Map.copyOf(labels);
        reenterWhenChanged = List.copyOf(reenterWhenChanged);
        shownWhenValues = List.copyOf(shownWhenValues);
        descriptions = Map.copyOf(descriptions);
        Map<String, Map<String, String>> copied = new java.util.LinkedHashMap<>();
        valueLabels.forEach((value, byLanguage) -> copied.put(value, Map.copyOf(byLanguage)));
        valueLabels = Map.copyOf(copied);
        if (!labels.containsKey("en")) {
            throw new IllegalArgumentException("field '" + name + "' needs an English label");
        }
        if (!descriptions.isEmpty() && !descriptions.containsKey("en")) {
            throw new IllegalArgumentException("field '" + name + "' needs its help text in English too");
        }
        if (kind == FieldKind.CHOICE && allowedValues.isEmpty()) {
            throw new IllegalArgumentException("choice field '" + name + "' needs allowed values");
        }
        if (!shownWhenValues.isEmpty() && shownWhen == null) {
            throw new IllegalArgumentException("field '" + name + "' names values of no choice to be shown for");
        }
        for (Map.Entry<String, Map<String, String>> e : valueLabels.entrySet()) {
            if (!allowedValues.contains(e.getKey())) {
                throw new IllegalArgumentException("field '" + name + "' labels '" + e.getKey()
                        + "', which is not one of its allowed values " + allowedValues);
            }
            if (!e.getValue().containsKey("en")) {
                throw new IllegalArgumentException("field '" + name + "' needs an English label for '" + e.getKey() + "'");
            }
        }
        if (advanced && required && defaultValue == null) {
            throw new IllegalArgumentException("advanced field '" + name + "' is folded away, so it cannot be required"
                    + " without a default");
        }
    }

    /**
     * The descriptor of release 0.1 and 0.2: in the {@link Section#AUTHENTICATION} section, not advanced, without
     * help text or choice labels, and shown by a switch only.
     *
     * @param name the field name used in {@link ConfigurationDraft}, never blank
     * @param kind the input kind
     * @param required whether the field must be filled whenever it is shown
     * @param defaultValue the value to prefill, or null
     * @param allowedValues for {@link FieldKind#CHOICE}: the values, in display order; otherwise empty
     * @param labels label by language tag ("en" is required)
     * @param shownWhen name of a {@link FieldKind#BOOLEAN} field that must be true for this field to be shown, or null
     * @param reenterWhenChanged for {@link FieldKind#SECRET}: names of fields whose change requires the secret again
     */
    public FieldDescriptor(String name, FieldKind kind, boolean required, @Nullable String defaultValue,
                           List<String> allowedValues, Map<String, String> labels, @Nullable String shownWhen,
                           List<String> reenterWhenChanged) {
        this(name, kind, required, defaultValue, allowedValues, labels, shownWhen, reenterWhenChanged, List.of(),
                Section.AUTHENTICATION, false, Map.of(), Map.of());
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
        return inLanguage(labels, locale).orElseThrow();
    }

    /**
     * The help text in a locale's language, falling back to English.
     *
     * @param locale never null
     * @return the help text, or empty when the field has none
     */
    public Optional<String> description(Locale locale) {
        return inLanguage(descriptions, locale);
    }

    /**
     * How a settings page names one value of this choice, in a locale's language, falling back to English and
     * then to the value itself.
     *
     * @param value  one of {@link #allowedValues()}
     * @param locale never null
     * @return the label to show for the value
     */
    public String valueLabel(String value, Locale locale) {
        Map<String, String> byLanguage = valueLabels.get(value);
        return byLanguage == null ? value : inLanguage(byLanguage, locale).orElse(value);
    }

    private static Optional<String> inLanguage(Map<String, String> byLanguage, Locale locale) {
        String text = byLanguage.get(locale.getLanguage());
        return Optional.ofNullable(text != null ? text : byLanguage.get("en"));
    }

    /**
     * The controlling switch or choice, if any.
     *
     * @return the name of the field that shows this one
     */
    public Optional<String> shownWhenField() {
        return Optional.ofNullable(shownWhen);
    }

    /**
     * Whether this field is shown while its controlling field ({@link #shownWhen()}) holds a value. The one rule
     * the engine, {@link org.emailconfig.api.spi.DraftValues} and a page apply alike.
     *
     * @param controllingValue the controlling field's value, or its default when the draft has none; null when
     *                         neither exists
     * @return true when always shown, when the switch is {@code true} (case ignored), or when the choice holds one
     *         of {@link #shownWhenValues()} (case ignored)
     */
    public boolean shownFor(@Nullable String controllingValue) {
        if (shownWhen == null) {
            return true;
        }
        if (controllingValue == null) {
            return false;
        }
        return shownWhenValues.isEmpty() ? "true".equalsIgnoreCase(controllingValue)
                : shownWhenValues.stream().anyMatch(controllingValue::equalsIgnoreCase);
    }

    /** Builds a {@link FieldDescriptor}. */
    public static final class Builder {
        private final String name;
        private final FieldKind kind;
        private final Map<String, String> labels = new java.util.LinkedHashMap<>();
        private final Map<String, String> descriptions = new java.util.LinkedHashMap<>();
        private final Map<String, Map<String, String>> valueLabels = new java.util.LinkedHashMap<>();
        private boolean required;
        private boolean advanced;
        private Section section = Section.AUTHENTICATION;
        private @Nullable String defaultValue;
        private List<String> allowedValues = List.of();
        private @Nullable String shownWhen;
        private List<String> shownWhenValues = List.of();
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
         * Sets the help text in English and German: what the field is for and where the administrator finds
         * the value.
         *
         * @param english the English help text
         * @param german  the German help text
         * @return this
         */
        public Builder description(String english, String german) {
            return descriptionIn("en", english).descriptionIn("de", german);
        }

        /**
         * Adds or replaces the help text in one language.
         *
         * @param languageTag a language such as {@code de} ({@link Locale#getLanguage()})
         * @param text        the help text
         * @return this
         */
        public Builder descriptionIn(String languageTag, String text) {
            descriptions.put(Objects.requireNonNull(languageTag, "languageTag"), Objects.requireNonNull(text, "text"));
            return this;
        }

        /**
         * Names one value of a choice in English and German.
         *
         * @param value   one of the allowed values
         * @param english its English label
         * @param german  its German label
         * @return this
         */
        public Builder valueLabel(String value, String english, String german) {
            return valueLabelIn(value, "en", english).valueLabelIn(value, "de", german);
        }

        /**
         * Names one value of a choice in one language.
         *
         * @param value       one of the allowed values
         * @param languageTag a language such as {@code de} ({@link Locale#getLanguage()})
         * @param text        its label
         * @return this
         */
        public Builder valueLabelIn(String value, String languageTag, String text) {
            valueLabels.computeIfAbsent(Objects.requireNonNull(value, "value"), v -> new java.util.LinkedHashMap<>())
                    .put(Objects.requireNonNull(languageTag, "languageTag"), Objects.requireNonNull(text, "text"));
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
         * Folds the field away on a settings page until the administrator asks for the advanced settings.
         *
         * @return this
         */
        public Builder advanced() {
            this.advanced = true;
            return this;
        }

        /**
         * Sets the section a settings page shows the field in ({@link Section#AUTHENTICATION} unless set).
         *
         * @param section the section
         * @return this
         */
        public Builder section(Section section) {
            this.section = Objects.requireNonNull(section, "section");
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
            this.shownWhenValues = List.of();
            return this;
        }

        /**
         * Shows the field only while a choice holds one of some values (a Graph option only when Graph is the
         * delivery, say).
         *
         * @param choiceField the controlling choice
         * @param values      the values that show the field, at least one
         * @return this
         */
        public Builder shownWhen(String choiceField, String... values) {
            if (values.length == 0) {
                throw new IllegalArgumentException("name at least one value of '" + choiceField + "' that shows '"
                        + name + "'");
            }
            this.shownWhen = Objects.requireNonNull(choiceField, "choiceField");
            this.shownWhenValues = List.of(values);
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
                    reenterWhenChanged, shownWhenValues, section, advanced, descriptions, valueLabels);
        }
    }
}
