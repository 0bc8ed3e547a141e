package org.emailconfig.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What an administrator submitted in the form: the chosen authentication type, the text of each
 * field, and the secret fields. Nothing is validated here; the service validates a draft as a whole
 * and reports every problem at once. A secret field that was left blank is {@link Secret#keep()}.
 *
 * <pre>{@code
 * ConfigurationDraft draft = ConfigurationDraft.builder("smtp-password")
 *         .set("host", "smtp.example.com").set("port", "587").set("encryption", "STARTTLS")
 *         .set("senderAddress", "noreply@example.com").set("senderName", "Hub")
 *         .set("authentication", "true").set("username", "noreply@example.com")
 *         .secret("password", Secret.fromForm(formPassword))
 *         .build();
 * }</pre>
 *
 * @param type    the authentication type chosen in the form
 * @param values  non-secret field values by field name
 * @param secrets secret field values by field name; absent or {@link Secret#keep()} means keep
 */
@API(status = API.Status.STABLE, since = "0.1")
public record ConfigurationDraft(String type, Map<String, String> values, Map<String, Secret> secrets) {

    /**
     * Copies the maps.
     *
     * @param type the authentication type chosen in the form
     * @param values non-secret field values by field name
     * @param secrets secret field values by field name; absent or {@link Secret#keep()} means keep
     */
    public ConfigurationDraft {
        Objects.requireNonNull(type, "type");
        values = Map.copyOf(values);
        secrets = Map.copyOf(secrets);
    }

    /**
     * Starts a draft for a type.
     *
     * @param type the authentication type
     * @return a builder
     */
    public static Builder builder(String type) {
        return new Builder(type);
    }

    /**
     * A field's text.
     *
     * @param field the field name
     * @return the value, empty when absent
     */
    public Optional<String> value(String field) {
        return Optional.ofNullable(values.get(field));
    }

    /**
     * A field's text as an administrator meant it: surrounding blanks removed, a blank field counted
     * as empty.
     *
     * @param field the field name
     * @return the stripped value, empty when absent or blank
     */
    public Optional<String> text(String field) {
        return value(field).map(String::strip).filter(v -> !v.isEmpty());
    }

    /**
     * A secret field, {@link Secret#keep()} when absent.
     *
     * @param field the field name
     * @return never null
     */
    public Secret secret(String field) {
        return secrets.getOrDefault(field, Secret.keep());
    }

    /**
     * A copy of this draft as a builder.
     *
     * @return a builder holding the same type and fields
     */
    public Builder toBuilder() {
        Builder b = new Builder(type);
        b.values.putAll(values);
        b.secrets.putAll(secrets);
        return b;
    }

    /** Builds a {@link ConfigurationDraft}; not thread-safe. */
    public static final class Builder {
        private final String type;
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, Secret> secrets = new LinkedHashMap<>();

        private Builder(String type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        /**
         * Sets a field's text; null removes it.
         *
         * @param field field name
         * @param value text, may be null
         * @return this
         */
        public Builder set(String field, @Nullable String value) {
            // A null name would only fail when a provider reads the draft, far from the mistake.
            Objects.requireNonNull(field, "field");
            if (value == null) {
                values.remove(field);
            } else {
                values.put(field, value);
            }
            return this;
        }

        /**
         * Sets a secret field.
         *
         * @param field  field name
         * @param secret the secret or {@link Secret#keep()}
         * @return this
         */
        public Builder secret(String field, Secret secret) {
            secrets.put(Objects.requireNonNull(field, "field"), Objects.requireNonNull(secret, "secret"));
            return this;
        }

        /**
         * Builds the draft.
         *
         * @return the draft
         */
        public ConfigurationDraft build() {
            return new ConfigurationDraft(type, values, secrets);
        }
    }
}
