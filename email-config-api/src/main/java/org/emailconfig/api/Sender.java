package org.emailconfig.api;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The From of every message the library sends: an address and an optional display name such as
 * "Hub Notifications".
 *
 * @param address     the sender address, never null
 * @param displayName the display name, or null for none; never blank, never containing a line break
 *                    or control character (which would allow header injection)
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Sender(EmailAddress address, @Nullable String displayName) {

    /** Longest display name accepted; longer names are truncated by many clients anyway. */
    public static final int MAX_DISPLAY_NAME_LENGTH = 200;

    /**
     * Validates the display name; a blank one is normalised to null.
     *
     * @param address the sender address, never null
     * @param displayName the display name, or null for none; never blank, never containing a line break or control character (which would allow header injection)
     */
    public Sender {
        Objects.requireNonNull(address, "address");
        if (displayName != null && displayName.isBlank()) {
            displayName = null;
        }
        if (displayName != null) {
            displayNameProblem(displayName).ifPresent(p -> {
                throw new IllegalArgumentException("invalid display name: " + p);
            });
        }
    }

    /**
     * A sender without display name.
     *
     * @param address the address, never null
     * @return the sender
     */
    public static Sender of(EmailAddress address) {
        return new Sender(address, null);
    }

    /**
     * A sender with a display name.
     *
     * @param address     the address, never null
     * @param displayName the display name, may be null or blank for none
     * @return the sender
     */
    public static Sender of(EmailAddress address, @Nullable String displayName) {
        return new Sender(address, displayName);
    }

    /**
     * The display name, if any.
     *
     * @return the display name, never blank
     */
    public Optional<String> displayNameIfAny() {
        return Optional.ofNullable(displayName);
    }

    /**
     * Checks a candidate display name without throwing.
     *
     * @param candidate the text, may be null
     * @return empty if acceptable (null and blank are acceptable: no display name), otherwise the problem
     */
    public static Optional<String> displayNameProblem(@Nullable String candidate) {
        return headerTextProblem(candidate).map(p -> "a display name " + p);
    }

    /**
     * Checks any text that ends up in a mail header or an SMTP command (a display name, a username),
     * worded without naming the field, so a form shows it beside whichever field it belongs to.
     *
     * @param candidate may be null
     * @return empty if acceptable, otherwise the problem, such as "must not contain line breaks ..."
     */
    public static Optional<String> headerTextProblem(@Nullable String candidate) {
        return headerTextProblem(candidate, Locale.ROOT);
    }

    /**
     * Checks header text without throwing, wording the problem in a locale's language.
     *
     * @param candidate may be null
     * @param locale    the reader's locale (German or English)
     * @return empty if acceptable, otherwise the problem
     */
    public static Optional<String> headerTextProblem(@Nullable String candidate, Locale locale) {
        if (candidate == null) {
            return Optional.empty();
        }
        if (CharacterRules.hasControlCharacter(candidate)) {
            return Optional.of(ApiTexts.text("header.control").in(locale));
        }
        if (candidate.length() > MAX_DISPLAY_NAME_LENGTH) {
            return Optional.of(ApiTexts.text("header.length", MAX_DISPLAY_NAME_LENGTH).in(locale));
        }
        return Optional.empty();
    }
}
