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
import org.emailconfig.api.Sender;

/**
 * The annotated string must be text placed in a mail header, such as a display name: no line breaks or control characters (see Sender#headerTextProblem); null and blank are valid: combine with {@code @NotBlank} where required.
 * The violation message is the specific problem found.
 */
@Documented
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = HeaderSafe.Validator.class)
@API(status = API.Status.STABLE, since = "0.1")
public @interface HeaderSafe {

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

    /** Validates {@link HeaderSafe}. */
    final class Validator extends ProblemValidator<HeaderSafe> {

        /** Used by Jakarta Validation. */
        public Validator() {
        }

        @Override
        public Optional<String> problem(String value, Locale locale) {
            return Sender.headerTextProblem(value, locale);
        }
    }
}
