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
        super(Reason.INVALID_CONFIGURATION, "The email configuration has " + violations.size() + " problem(s): "
                + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("at least one violation");
        }
        this.violations = List.copyOf(violations);
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
