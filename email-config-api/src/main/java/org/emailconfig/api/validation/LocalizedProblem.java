package org.emailconfig.api.validation;

import java.util.Locale;
import java.util.Optional;

import org.apiguardian.api.API;

/**
 * A constraint validator that can word its problem in a reader's language. Jakarta Validation words a
 * message once, in one locale; an engine that knows the reader (the acting administrator) calls this on
 * a fresh, initialized instance of the constraint's validator to get the words in their language. Every
 * validator of this package implements it; a provider's own validators may too.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface LocalizedProblem {

    /**
     * The problem with a value, in a locale's language.
     *
     * @param value  a non-blank value the validator refused
     * @param locale the reader's locale
     * @return the problem; empty when the value is valid
     */
    Optional<String> problem(String value, Locale locale);
}
