package org.emailconfig.api;

import java.util.Objects;

/**
 * The root of every exception the library throws on purpose. It carries a machine-readable
 * {@link #reason()} and a {@link #hint()} for the administrator. Messages never contain a secret.
 * Caller bugs (null arguments and the like) are reported with the JDK's exceptions instead.
 */
public class EmailConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Reason reason;
    private final String hint;
    /** Whether the hint is the reason's own (translated) text rather than words for this failure. */
    final boolean reasonsOwnHint;

    /**
     * Creates an exception.
     *
     * @param reason  never null
     * @param message what failed, naming the field, provider or server involved; never a secret
     * @param hint    what to do next; null for the reason's default hint
     * @param cause   the library failure behind it, or null
     */
    public EmailConfigException(Reason reason, String message, String hint, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.hint = hint == null ? reason.defaultHint() : hint;
        this.reasonsOwnHint = hint == null;
    }

    /**
     * Creates an exception with the reason's default hint.
     *
     * @param reason  never null
     * @param message what failed; never a secret
     */
    public EmailConfigException(Reason reason, String message) {
        this(reason, message, null, null);
    }

    /**
     * The classified reason.
     *
     * @return never null
     */
    public Reason reason() {
        return reason;
    }

    /**
     * What an administrator can do about it, in English.
     *
     * @return never null
     */
    public String hint() {
        return hint;
    }

    /**
     * What an administrator can do about it, in a locale's language where a translation exists: the
     * reason's own hint is in English and German; a hint worded for this particular failure (naming a
     * port, a field, a mailbox) is in English.
     *
     * @param locale the actor's locale, never null
     * @return never null
     */
    public String hint(java.util.Locale locale) {
        return reasonsOwnHint ? reason.hint(locale) : hint;
    }
}
