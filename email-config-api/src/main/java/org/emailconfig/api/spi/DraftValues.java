package org.emailconfig.api.spi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ResourceBundle;

import org.apiguardian.api.API;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.FieldDescriptor;
import org.emailconfig.api.FieldKind;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.LocalizedText;
import org.emailconfig.api.Secret;
import org.emailconfig.api.Sender;
import org.emailconfig.api.SmtpServer;
import org.emailconfig.api.Violation;
import org.jspecify.annotations.Nullable;

/**
 * Typed access to a draft's values by the rules its fields declare, for a provider's
 * {@link AuthenticationProvider#bind}: a port as a number, a choice as an enum, an address as an
 * {@link EmailAddress}. A value that breaks its field's rule is recorded as a {@link Violation} (codes as
 * below, the message in the reader's language) and read as null, so a provider collects every problem and
 * then calls {@link #throwIfInvalid()}:
 *
 * <pre>{@code
 * DraftValues v = DraftValues.of(draft, fields(), context.locale());
 * String host = v.host("host");
 * Integer port = v.port("port");
 * Encryption encryption = v.choice("encryption", Encryption.class);
 * v.throwIfInvalid();
 * }</pre>
 *
 * <p>The engine applies the same rules ({@link #check}) to every shown field before it calls {@code bind}, so
 * a provider that trusts its descriptors still reports every field error. Rules by {@link FieldKind}:
 * {@code required} and missing gives code {@code required}; {@code PORT} not a number gives
 * {@code invalid}, outside 1 to 65535 {@code out_of_range}; {@code HOST}, {@code EMAIL} and {@code TEXT}
 * (line breaks or control characters) that break the value type's rule, {@code BOOLEAN} other than
 * {@code true}/{@code false} and {@code CHOICE} outside {@link FieldDescriptor#allowedValues()} (case
 * ignored) give {@code invalid}. A field hidden by its switch or choice ({@link FieldDescriptor#shownWhen()},
 * {@link FieldDescriptor#shownFor}) is never checked. Not thread-safe; one per bind.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class DraftValues {

    private final ConfigurationDraft draft;
    private final Map<String, FieldDescriptor> fields = new LinkedHashMap<>();
    private final Locale locale;
    private final Map<String, Violation> violations = new LinkedHashMap<>();

    private DraftValues(ConfigurationDraft draft, List<FieldDescriptor> fields, Locale locale) {
        this.draft = Objects.requireNonNull(draft, "draft");
        this.locale = Objects.requireNonNull(locale, "locale");
        fields.forEach(f -> this.fields.put(f.name(), f));
    }

    /**
     * Reads a draft by its fields' rules.
     *
     * @param draft  the submitted draft
     * @param fields the provider's {@link AuthenticationProvider#fields()}
     * @param locale the reader's language for violation messages ({@link BindingContext#locale()})
     * @return a reader
     */
    public static DraftValues of(ConfigurationDraft draft, List<FieldDescriptor> fields, Locale locale) {
        return new DraftValues(draft, fields, locale);
    }

    /**
     * Every problem the fields' own rules find in a draft, for the fields that are shown.
     *
     * @param draft  the draft, secrets resolved
     * @param fields the descriptors
     * @param locale the reader's language
     * @return one violation per field at most, in field order; empty when every rule holds
     */
    public static List<Violation> check(ConfigurationDraft draft, List<FieldDescriptor> fields, Locale locale) {
        DraftValues v = of(draft, fields, locale);
        for (FieldDescriptor f : fields) {
            if (!v.shown(f.name())) {
                continue;
            }
            switch (f.kind()) {
                case PORT -> v.port(f.name());
                case HOST -> v.host(f.name());
                case EMAIL -> v.address(f.name());
                case BOOLEAN -> v.bool(f.name());
                case CHOICE -> v.choiceText(f.name());
                case SECRET -> v.secret(f.name());
                case TEXT -> v.text(f.name());
            }
        }
        return v.violations();
    }

    /**
     * Whether a field is shown: always, unless its switch ({@link FieldDescriptor#shownWhen()}) is off or its
     * choice holds none of the values that show it.
     *
     * @param field a declared field
     * @return true when shown
     */
    public boolean shown(String field) {
        FieldDescriptor f = descriptor(field);
        return f.shownWhenField().map(sw -> descriptor(sw).kind() == FieldKind.BOOLEAN
                ? f.shownFor(String.valueOf(Boolean.TRUE.equals(bool(sw))))
                : f.shownFor(choiceText(sw))).orElse(true);
    }

    /**
     * A single-line text: the value, or the field's default; line breaks and control characters are refused.
     *
     * @param field a declared field
     * @return empty when absent (recorded as missing when the field is required and shown)
     */
    public Optional<String> text(String field) {
        Optional<String> raw = raw(field);
        if (raw.isPresent() && raw.get().chars().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
            problem(field, "invalid", message("header.control").in(locale));
            return Optional.empty();
        }
        return raw;
    }

    /**
     * A TCP port.
     *
     * @param field a declared field
     * @return the port, or null when absent or invalid
     */
    public @Nullable Integer port(String field) {
        Optional<String> raw = raw(field);
        if (raw.isEmpty()) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(raw.get());
        } catch (NumberFormatException e) {
            problem(field, "invalid", SmtpServer.portProblem(-1, locale).orElseThrow());
            return null;
        }
        Optional<String> p = SmtpServer.portProblem(n, locale);
        if (p.isPresent()) {
            problem(field, "out_of_range", p.get());
            return null;
        }
        return (int) n;
    }

    /**
     * A host name or IP address.
     *
     * @param field a declared field
     * @return the host, or null when absent or invalid
     */
    public @Nullable String host(String field) {
        Optional<String> raw = raw(field);
        if (raw.isEmpty()) {
            return null;
        }
        Optional<String> p = SmtpServer.hostProblem(raw.get(), locale);
        p.ifPresent(x -> problem(field, "invalid", x));
        return p.isPresent() ? null : raw.get();
    }

    /**
     * An email address.
     *
     * @param field a declared field
     * @return the address, or null when absent or invalid
     */
    public @Nullable EmailAddress address(String field) {
        Optional<String> raw = raw(field);
        if (raw.isEmpty()) {
            return null;
        }
        Optional<String> p = EmailAddress.problem(raw.get(), locale);
        p.ifPresent(x -> problem(field, "invalid", x));
        return p.isPresent() ? null : EmailAddress.of(raw.get());
    }

    /**
     * An optional sender such as a Reply-To: an address field and a display-name field, both optional; a
     * name without an address is reported on the address field, a name with a line break on the name field.
     *
     * @param addressField a declared {@link FieldKind#EMAIL} field
     * @param nameField    a declared {@link FieldKind#TEXT} field
     * @return the sender, or empty when no address is given or a value is invalid
     */
    public Optional<Sender> optionalSender(String addressField, String nameField) {
        EmailAddress address = address(addressField);
        Optional<String> name = text(nameField);
        Optional<String> nameProblem = name.flatMap(n -> Sender.headerTextProblem(n, locale));
        nameProblem.ifPresent(p -> problem(nameField, "invalid", p));
        if (address == null) {
            if (name.isPresent() && draft.text(addressField).isEmpty()) {
                FieldDescriptor f = descriptor(addressField);
                problem(addressField, "required", message("field.required",
                        LocalizedText.of(f.label(Locale.ENGLISH), f.label(Locale.GERMAN))).in(locale));
            }
            return Optional.empty();
        }
        return nameProblem.isPresent() ? Optional.empty() : Optional.of(Sender.of(address, name.orElse(null)));
    }

    /**
     * A switch.
     *
     * @param field a declared field
     * @return the value or the field's default, or null when absent or neither {@code true} nor {@code false}
     */
    public @Nullable Boolean bool(String field) {
        Optional<String> raw = raw(field);
        if (raw.isEmpty()) {
            return null;
        }
        if (raw.get().equalsIgnoreCase("true") || raw.get().equalsIgnoreCase("false")) {
            return Boolean.valueOf(raw.get());
        }
        problem(field, "invalid", message("field.boolean").in(locale));
        return null;
    }

    /**
     * A choice as an enum constant of the same name (case ignored).
     *
     * @param field a declared field
     * @param type  the enum whose constants are the field's allowed values
     * @param <E>   the enum
     * @return the constant, or null when absent or not allowed
     */
    public <E extends Enum<E>> @Nullable E choice(String field, Class<E> type) {
        String value = choiceText(field);
        if (value == null) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        problem(field, "invalid", message("field.choice", descriptor(field).allowedValues()).in(locale));
        return null;
    }

    private @Nullable String choiceText(String field) {
        Optional<String> raw = raw(field);
        if (raw.isEmpty()) {
            return null;
        }
        List<String> allowed = descriptor(field).allowedValues();
        Optional<String> match = allowed.stream().filter(a -> a.equalsIgnoreCase(raw.get())).findFirst();
        if (match.isEmpty() && !allowed.isEmpty()) {
            problem(field, "invalid", message("field.choice", allowed).in(locale));
            return null;
        }
        return match.orElse(raw.get());
    }

    /**
     * A secret; {@link Secret#keep()} counts as missing (the engine has already put the stored value in its
     * place where one may be reused).
     *
     * @param field a declared field
     * @return the secret, or null when missing
     */
    public @Nullable Secret secret(String field) {
        Secret s = draft.secret(descriptor(field).name());
        if (s.isKeep() || s.reveal().isBlank()) {
            missing(field);
            return null;
        }
        return s;
    }

    /**
     * The problems recorded so far, one per field at most.
     *
     * @return in the order they were found
     */
    public List<Violation> violations() {
        return new ArrayList<>(violations.values());
    }

    /**
     * Throws when any value broke its rule.
     *
     * @throws InvalidConfigurationException with every problem recorded
     */
    public void throwIfInvalid() {
        if (!violations.isEmpty()) {
            throw new InvalidConfigurationException(violations());
        }
    }

    private Optional<String> raw(String field) {
        FieldDescriptor f = descriptor(field);
        Optional<String> value = draft.text(field).or(() -> Optional.ofNullable(f.defaultValue()));
        if (value.isEmpty()) {
            missing(field);
        }
        return value;
    }

    private void missing(String field) {
        FieldDescriptor f = descriptor(field);
        if (f.required() && shownQuietly(f)) {
            problem(field, "required", message("field.required", LocalizedText.of(f.label(Locale.ENGLISH),
                    f.label(Locale.GERMAN))).in(locale));
        }
    }

    /** Whether the field is shown, without recording anything about its switch. */
    private boolean shownQuietly(FieldDescriptor f) {
        return f.shownFor(f.shownWhenField().flatMap(sw -> draft.text(sw)
                .or(() -> Optional.ofNullable(descriptor(sw).defaultValue()))).orElse(null));
    }

    private void problem(String field, String code, String message) {
        violations.putIfAbsent(field, new Violation(field, code, message));
    }

    private FieldDescriptor descriptor(String field) {
        FieldDescriptor f = fields.get(field);
        if (f == null) {
            throw new IllegalArgumentException("'" + field + "' is not one of the declared fields " + fields.keySet());
        }
        return f;
    }

    private static LocalizedText message(String key, Object... args) {
        return LocalizedText.fromBundle(l -> ResourceBundle.getBundle("org.emailconfig.api.Texts", l), key, args);
    }
}
