package org.emailconfig.core.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.MessageInterpolator;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.metadata.ConstraintDescriptor;

import org.apiguardian.api.API;
import org.emailconfig.api.LocalizedText;
import org.emailconfig.api.Violation;
import org.emailconfig.api.spi.BindingContext;
import org.emailconfig.api.validation.LocalizedProblem;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.jspecify.annotations.Nullable;

/**
 * Jakarta Validation through Hibernate Validator, bootstrapped without an Expression Language
 * implementation (ParameterMessageInterpolator), so hosts need no EL jar. {@link #in(Locale)} gives the
 * context for one actor: messages in their language.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class HibernateBindingContext implements BindingContext, AutoCloseable {

    private static final Pattern KEY = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");

    private final ValidatorFactory factory;
    private final MessageInterpolator interpolator = new ParameterMessageInterpolator();
    private final Locale locale;
    private final boolean ownsFactory;

    /** Builds the validator factory once; it is thread-safe. English messages. */
    public HibernateBindingContext() {
        this.factory = Validation.byProvider(HibernateValidator.class).configure()
                .messageInterpolator(interpolator)
                .buildValidatorFactory();
        this.locale = Locale.ENGLISH;
        this.ownsFactory = true;
    }

    private HibernateBindingContext(ValidatorFactory factory, Locale locale) {
        this.factory = factory;
        this.locale = locale;
        this.ownsFactory = false;
    }

    /**
     * The same validation, with messages in a reader's language.
     *
     * @param readerLocale the acting administrator's locale
     * @return a context sharing this one's factory; closing it does nothing
     */
    public BindingContext in(Locale readerLocale) {
        return new HibernateBindingContext(factory, Objects.requireNonNull(readerLocale, "readerLocale"));
    }

    @Override
    public Locale locale() {
        return locale;
    }

    @Override
    public List<Violation> validate(Object form) {
        return validate(form, null);
    }

    @Override
    public List<Violation> validate(Object form, @Nullable Function<Locale, ResourceBundle> messages) {
        Validator validator = factory.usingContext().messageInterpolator(new InLocale(messages)).getValidator();
        java.util.Set<? extends ConstraintViolation<?>> found;
        try {
            found = validator.validate(form);
        } catch (RuntimeException e) {
            throw notOpen(form, e).orElseThrow(() -> e);
        }
        return found.stream()
                .map(this::toViolation)
                .sorted(Comparator.comparing(Violation::field))
                .toList();
    }

    /**
     * A provider module that does not open its form's package to the validator fails deep inside reflection;
     * this names the form, the module, the line to add and the other way out, so its author fixes it at once.
     */
    static Optional<FormNotOpen> notOpen(Object form, RuntimeException e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.lang.reflect.InaccessibleObjectException) {
                Class<?> type = form.getClass();
                Module module = type.getModule();
                String name = module.isNamed() ? module.getName() : "the unnamed module";
                return Optional.of(new FormNotOpen("Hibernate Validator cannot read the form " + type.getName()
                        + ": module " + name + " does not open package " + type.getPackageName() + " to it. Add 'opens "
                        + type.getPackageName() + " to org.hibernate.validator;' to the module-info.java of " + name
                        + ", or read the draft with org.emailconfig.api.spi.DraftValues instead of validating a form "
                        + "object", c));
            }
        }
        return Optional.empty();
    }

    /** A form the validator may not read; its message holds no value of the form, only names. */
    static final class FormNotOpen extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        FormNotOpen(String message, Throwable cause) {
            super(message, cause);
        }

        /** The one in a provider's failure, even when the provider wrapped it. */
        static Optional<FormNotOpen> in(Throwable failure) {
            for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
                if (c instanceof FormNotOpen f) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    private Violation toViolation(ConstraintViolation<?> v) {
        String field = "";
        for (Path.Node node : v.getPropertyPath()) {
            if (node.getName() != null) {
                field = node.getName();
                break;
            }
        }
        Class<?> type = v.getConstraintDescriptor().getAnnotation().annotationType();
        String code = type == NotBlank.class || type == NotNull.class || type == NotEmpty.class ? "required"
                : type == Min.class || type == Max.class ? "out_of_range"
                : "invalid";
        String message = v.getInvalidValue() instanceof String value && !value.isBlank()
                ? localized(v.getConstraintDescriptor(), value).orElse(v.getMessage())
                : v.getMessage();
        return new Violation(field, code, message);
    }

    /** A constraint whose validator can word its problem in the reader's language is asked again in it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Optional<String> localized(ConstraintDescriptor<?> descriptor, String value) {
        for (Class<? extends ConstraintValidator<?, ?>> c : descriptor.getConstraintValidatorClasses()) {
            if (!LocalizedProblem.class.isAssignableFrom(c)) {
                continue;
            }
            try {
                ConstraintValidator validator = c.getConstructor().newInstance();
                validator.initialize(descriptor.getAnnotation());
                return ((LocalizedProblem) validator).problem(value, locale);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Interpolates in the reader's locale; a template that is one {@code {key}} comes from the provider's bundles. */
    private final class InLocale implements MessageInterpolator {
        private final @Nullable Function<Locale, ResourceBundle> messages;

        InLocale(@Nullable Function<Locale, ResourceBundle> messages) {
            this.messages = messages;
        }

        @Override
        public String interpolate(String template, Context context) {
            return interpolate(template, context, locale);
        }

        @Override
        public String interpolate(String template, Context context, Locale ignored) {
            Matcher m = KEY.matcher(template);
            if (messages != null && m.matches() && messages.apply(Locale.ROOT).containsKey(m.group(1))) {
                return LocalizedText.fromBundle(messages, m.group(1)).in(locale);
            }
            return interpolator.interpolate(template, context, locale);
        }
    }

    @Override
    public void close() {
        if (ownsFactory) {
            factory.close();
        }
    }
}
