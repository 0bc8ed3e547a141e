package org.emailconfig.api.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Locale;
import java.util.Optional;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import org.apiguardian.api.API;
import org.emailconfig.api.EmailAddress;

/**
 * The annotated string must be an email address (see EmailAddress#problem); null and blank are valid: combine with {@code @NotBlank} where required.
 * The violation message is the specific problem found.
 */
@Documented
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = MailAddress.Validator.class)
@API(status = API.Status.STABLE, since = "0.1")
public @interface MailAddress {

    /**
     * Fallback message; the validator reports the specific problem instead.
     *
     * @return the message template
     */
    String message() default "is not valid";

    /**
     * Validation groups.
     *
     * @return the groups
     */
    Class<?>[] groups() default {};

    /**
     * Payload.
     *
     * @return the payload
     */
    Class<? extends Payload>[] payload() default {};

    /** Validates {@link MailAddress}. */
    final class Validator extends ProblemValidator<MailAddress> {

        /** Used by Jakarta Validation. */
        public Validator() {
        }

        @Override
        public Optional<String> problem(String value, Locale locale) {
            return EmailAddress.problem(value, locale);
        }
    }
}
