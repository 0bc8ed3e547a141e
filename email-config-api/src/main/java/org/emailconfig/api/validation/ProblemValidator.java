package org.emailconfig.api.validation;

import java.lang.annotation.Annotation;
import java.util.Locale;
import java.util.Optional;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/**
 * Shared body of the constraint validators: null and blank pass (that is {@code @NotBlank}'s job);
 * otherwise the value type's own check decides, and its English words become the violation message
 * (the engine asks {@link LocalizedProblem#problem} again for the actor's language).
 *
 * @param <A> the constraint annotation
 */
abstract class ProblemValidator<A extends Annotation> implements ConstraintValidator<A, String>, LocalizedProblem {

    @Override
    public final boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null || value.isBlank()) {
            return true;
        }
        return problem(value, Locale.ROOT).map(p -> {
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(Messages.escape(p)).addConstraintViolation();
            return false;
        }).orElse(true);
    }
}
