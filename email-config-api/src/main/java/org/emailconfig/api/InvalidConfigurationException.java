package org.emailconfig.api;

import java.util.List;
import java.util.stream.Collectors;

import org.apiguardian.api.API;

/**
 * A draft was rejected; {@link #violations()} lists every problem so a form can show each beside its field.
 *
 * @serial exclude
 */
@API(status = API.Status.STABLE, since = "0.1")
public class InvalidConfigurationException extends EmailConfigException {

    private static final long serialVersionUID = 1L;

    private final List<Violation> violations;

    /**
     * Creates the exception.
     *
     * @param violations at least one violation
     */
    public InvalidConfigurationException(List<Violation> violations) {
        super(Reason.INVALID_CONFIGURATION, describe(violations));
        this.violations = List.copyOf(violations);
    }

    /** Checks before the object exists, so a refused argument never leaves a half-built exception behind. */
    private static String describe(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("at least one violation");
        }
        return "The email configuration has " + violations.size() + " problem(s): "
                + violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }

    /**
     * Every problem found, in field order.
     *
     * @return never empty
     */
    public List<Violation> violations() {
        return violations;
    }

    /**
     * The violations of one field.
     *
     * @param field field name
     * @return possibly empty
     */
    public List<Violation> violationsOf(String field) {
        return violations.stream().filter(v -> v.field().equals(field)).toList();
    }
}
