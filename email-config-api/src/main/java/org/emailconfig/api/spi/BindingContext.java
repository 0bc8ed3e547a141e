package org.emailconfig.api.spi;

import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.function.Function;

import org.apiguardian.api.API;
import org.emailconfig.api.Violation;

/**
 * What the engine offers {@link AuthenticationProvider#bind}. Implemented by the engine.
 *
 * <pre>{@code
 * public EmailConfiguration bind(ConfigurationDraft draft, BindingContext context) {
 *     List<Violation> problems = new ArrayList<>(context.validate(new WebhookForm(
 *             draft.value("endpoint").orElse(null)), locale -> ResourceBundle.getBundle("com.example.Texts", locale)));
 *     // @NotBlank/@NotNull/@NotEmpty give code "required", @Min/@Max "out_of_range", every other "invalid";
 *     // a message "{key}" is looked up in the bundles, in context.locale()
 *     ...
 * }
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface BindingContext {

    /**
     * Validates a form object with Jakarta Validation (constraints on its fields, record components or
     * class), without an Expression Language implementation. Property paths become field names: a
     * violation on record component {@code host} is reported for field {@code host}.
     *
     * @param form any object with Jakarta Validation constraints
     * @return every violation found, possibly empty
     */
    List<Violation> validate(Object form);

    /**
     * Validates a form object like {@link #validate(Object)}, wording the messages in {@link #locale()}: a
     * constraint's message template of the form {@code {key}} is looked up in the provider's bundles,
     * the library's constraints ({@code org.emailconfig.api.validation}) word their problems themselves,
     * and other templates are interpolated as Jakarta Validation does.
     *
     * @param form     any object with Jakarta Validation constraints
     * @param messages the provider's bundles, for example
     *                 {@code locale -> ResourceBundle.getBundle("com.example.Messages", locale)} (called in
     *                 the provider's module, so no {@code opens} is needed)
     * @return every violation found, possibly empty
     */
    default List<Violation> validate(Object form, Function<Locale, ResourceBundle> messages) {
        return validate(form);
    }

    /**
     * The language of the person submitting the form: the acting administrator's. A provider words the
     * messages of its own {@link Violation}s in it (see {@link org.emailconfig.api.LocalizedText}).
     *
     * @return never null; English unless the engine says otherwise
     */
    default Locale locale() {
        return Locale.ENGLISH;
    }
}
