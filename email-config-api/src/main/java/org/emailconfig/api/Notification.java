package org.emailconfig.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A message the host sends through {@link NotificationSender}, such as a password-reset mail. The From
 * is always the configured sender.
 *
 * @param to       recipients, at least one
 * @param subject  the subject, no line breaks, at most {@value #MAX_SUBJECT_LENGTH} characters
 * @param text     the plain-text body, never null
 * @param html     an HTML alternative, or null
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Notification(List<EmailAddress> to, String subject, String text, @Nullable String html) {

    /** The longest subject accepted: 900 characters, so the Subject header line stays within 998. */
    public static final int MAX_SUBJECT_LENGTH = 900;

    /**
     * Validates and copies.
     *
     * @param to recipients, at least one
     * @param subject the subject, no line breaks, at most {@value #MAX_SUBJECT_LENGTH} characters
     * @param text the plain-text body, never null
     * @param html an HTML alternative, or null
     */
    public Notification {
        to = List.copyOf(to);
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        if (to.isEmpty()) {
            throw new IllegalArgumentException("a notification needs at least one recipient");
        }
        if (CharacterRules.hasControlCharacter(subject)) {
            throw new IllegalArgumentException("the subject must not contain line breaks or control characters");
        }
        if (subject.length() > MAX_SUBJECT_LENGTH) {
            // A header line may be at most 998 characters (RFC 5322); a long unbroken subject cannot be folded.
            throw new IllegalArgumentException("the subject can be at most " + MAX_SUBJECT_LENGTH + " characters long, got "
                    + subject.length());
        }
    }

    /**
     * A plain-text notification to one recipient.
     *
     * @param to      recipient
     * @param subject subject
     * @param text    body
     * @return the notification
     */
    public static Notification of(EmailAddress to, String subject, String text) {
        return new Notification(List.of(to), subject, text, null);
    }

    /**
     * A copy with an HTML alternative.
     *
     * @param htmlBody HTML
     * @return a copy
     */
    public Notification withHtml(String htmlBody) {
        return new Notification(to, subject, text, htmlBody);
    }

    /**
     * The HTML alternative, if any.
     *
     * @return the HTML body
     */
    public Optional<String> htmlIfAny() {
        return Optional.ofNullable(html);
    }
}
