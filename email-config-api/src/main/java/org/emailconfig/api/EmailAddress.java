package org.emailconfig.api;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A single mailbox address such as {@code admin@example.com}: no display name, no comments, no
 * whitespace, no control characters. Because CR and LF are rejected, an address can never inject a
 * header into a message.
 *
 * @param value the address exactly as given; never null
 */
@API(status = API.Status.STABLE, since = "0.1")
public record EmailAddress(String value) {

    /** Longest address that SMTP can carry (RFC 5321 forward-path limit minus the brackets). */
    public static final int MAX_LENGTH = 254;

    /**
     * Validates the address; see {@link #problem(String)} for the rules.
     *
     * @param value the address exactly as given; never null
     */
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
    public static Optional<String> problem(@Nullable String candidate) {
        return problem(candidate, Locale.ROOT);
    }

    /**
     * Checks a candidate without throwing, wording the problem in a locale's language.
     *
     * @param candidate the text to check, may be null
     * @param locale    the reader's locale (German or English)
     * @return empty when the candidate is a valid address, otherwise what is wrong with it
     */
    public static Optional<String> problem(@Nullable String candidate, Locale locale) {
        return problemText(candidate).map(t -> t.in(locale));
    }

    private static Optional<LocalizedText> problemText(@Nullable String candidate) {
        if (candidate == null || candidate.isBlank()) {
            return Optional.of(ApiTexts.text("address.missing"));
        }
        if (CharacterRules.hasControlCharacter(candidate)) {
            return Optional.of(ApiTexts.text("address.control"));
        }
        if (candidate.length() > MAX_LENGTH) {
            return Optional.of(ApiTexts.text("address.length", MAX_LENGTH));
        }
        int at = candidate.lastIndexOf('@');
        if (at <= 0 || at == candidate.length() - 1 || candidate.indexOf('@') != at) {
            return Optional.of(ApiTexts.text("address.at"));
        }
        String local = candidate.substring(0, at);
        String domain = candidate.substring(at + 1);
        if (local.length() > 64) {
            return Optional.of(ApiTexts.text("address.local.length"));
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c > 0x7e) {
                // MAIL FROM would carry a raw 8-bit byte while the header says UTF-8; SMTPUTF8 is not supported.
                return Optional.of(ApiTexts.text("address.local.ascii"));
            }
            if (c < 0x21 || "<>()[]\\,;:\"".indexOf(c) >= 0) {
                return Optional.of(ApiTexts.text("address.local.special"));
            }
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return Optional.of(ApiTexts.text("address.local.dots"));
        }
        if (!CharacterRules.isHostName(domain) || !domain.contains(".") && !"localhost".equalsIgnoreCase(domain)) {
            return Optional.of(ApiTexts.text("address.domain"));
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
