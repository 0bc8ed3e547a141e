package org.emailconfig.api;

import java.util.Objects;

import org.apiguardian.api.API;

/**
 * One problem with one field of a draft.
 *
 * @param field   the field name as in {@link FieldDescriptor#name()}, or {@code "type"} for the type
 * @param code    a stable code: {@code required}, {@code invalid}, {@code out_of_range},
 *                {@code reenter_secret} or {@code unknown_type}
 * @param message what is wrong and what to enter instead; never echoes a secret
 *
 * @serial exclude
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Violation(String field, String code, String message) implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Checks for nulls.
     *
     * @param field the field name as in {@link FieldDescriptor#name()}, or {@code "type"} for the type
     * @param code a stable code: {@code required}, {@code invalid}, {@code out_of_range}, {@code reenter_secret} or {@code unknown_type}
     * @param message what is wrong and what to enter instead; never echoes a secret
     */
    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
