package org.emailconfig.core.internal;

import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.emailconfig.api.Violation;
import org.emailconfig.api.spi.BindingContext;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Jakarta Validation through Hibernate Validator, bootstrapped without an Expression Language
 * implementation (ParameterMessageInterpolator), so hosts need no EL jar.
 */
public final class HibernateBindingContext implements BindingContext, AutoCloseable {

    private final ValidatorFactory factory;
    private final Validator validator;

    /** Builds the validator once; it is thread-safe. */
    public HibernateBindingContext() {
        this.factory = Validation.byProvider(HibernateValidator.class).configure()
                .messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory();
        this.validator = factory.getValidator();
    }

    @Override
    public List<Violation> validate(Object form) {
        return validator.validate(form).stream()
                .map(HibernateBindingContext::toViolation)
                .sorted(Comparator.comparing(Violation::field))
                .toList();
    }

    private static Violation toViolation(ConstraintViolation<?> v) {
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
        return new Violation(field, code, v.getMessage());
    }

    @Override
    public void close() {
        factory.close();
    }
}
