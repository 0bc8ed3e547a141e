package org.emailconfig.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A single mailbox address such as {@code admin@example.com}: no display name, no comments, no
 * whitespace, no control characters. Because CR and LF are rejected, an address can never inject a
 * header into a message.
 *
 * @param value the address exactly as given; never null
 */
public record EmailAddress(String value) {

    /** Longest address that SMTP can carry (RFC 5321 forward-path limit minus the brackets). */
    public static final int MAX_LENGTH = 254;

    /** Validates the address; see {@link #problem(String)} for the rules. */
    public EmailAddress {
        Objects.requireNonNull(value, "value");
        problem(value).ifPresent(p -> {
            throw new IllegalArgumentException("invalid email address: " + p);
        });
    }

    /**
     * Parses an address.
     *
     * @param value the address, never null
     * @return the address
     * @throws IllegalArgumentException when {@link #problem(String)} reports a problem
     */
    public static EmailAddress of(String value) {
        return new EmailAddress(value);
    }

    /**
     * Checks a candidate without throwing, for form validation.
     *
     * @param candidate the text to check, may be null
     * @return empty when the candidate is a valid address, otherwise what is wrong with it in words
     *         an administrator understands (never echoing control characters)
     */
    public static Optional<String> problem(String candidate) {
        if (candidate == null || candidate.isBlank()) {
            return Optional.of("enter an email address such as name@example.com");
        }
        if (Text.hasControlCharacter(candidate)) {
            return Optional.of("an email address must not contain line breaks or control characters");
        }
        if (candidate.length() > MAX_LENGTH) {
            return Optional.of("an email address can be at most " + MAX_LENGTH + " characters long");
        }
        int at = candidate.lastIndexOf('@');
        if (at <= 0 || at == candidate.length() - 1 || candidate.indexOf('@') != at) {
            return Optional.of("an email address needs exactly one @ with a name before it and a domain after it");
        }
        String local = candidate.substring(0, at);
        String domain = candidate.substring(at + 1);
        if (local.length() > 64) {
            return Optional.of("the part before @ can be at most 64 characters long");
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c > 0x7e) {
                // MAIL FROM would carry a raw 8-bit byte while the header says UTF-8; SMTPUTF8 is not supported.
                return Optional.of("the part before @ must use plain ASCII letters, digits and punctuation "
                        + "(addresses with accents or other scripts are not supported)");
            }
            if (c < 0x21 || "<>()[]\\,;:\"".indexOf(c) >= 0) {
                return Optional.of("the part before @ must not contain spaces or any of < > ( ) [ ] \\ , ; : \"");
            }
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return Optional.of("the part before @ must not start or end with a dot or contain two dots in a row");
        }
        if (!Text.isHostName(domain) || !domain.contains(".") && !"localhost".equalsIgnoreCase(domain)) {
            return Optional.of("the domain after @ is not a valid domain name");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
