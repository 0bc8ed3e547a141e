package org.emailconfig.api;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The root of every exception the library throws on purpose. It carries a machine-readable
 * {@link #reason()} and a {@link #hint()} for the administrator. Messages never contain a secret.
 * Caller bugs (null arguments and the like) are reported with the JDK's exceptions instead.
 *
 * @serial exclude
 */
@API(status = API.Status.STABLE, since = "0.1")
public class EmailConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Reason reason;
    /** Words for this particular failure; null for the reason's own hint. */
    private final @Nullable LocalizedText hint;
    /** The language of {@link #hint()}: the actor's, once the service throws this for one. */
    private volatile Locale locale = Locale.ROOT;

    /**
     * Creates an exception.
     *
     * @param reason  never null
     * @param message what failed, naming the field, provider or server involved; never a secret
     * @param hint    what to do next; null for the reason's default hint
     * @param cause   the library failure behind it, or null
     */
    public EmailConfigException(Reason reason, String message, @Nullable String hint, @Nullable Throwable cause) {
        this(reason, message, hint == null ? null : LocalizedText.untranslated(hint), cause);
    }

    /**
     * Creates an exception with a hint worded for this failure in the reader's language. Hint before cause, as in
     * the other constructors.
     *
     * @param reason  never null
     * @param message what failed, naming the field, provider or server involved; never a secret
     * @param hint    what to do next; null for the reason's default hint
     * @param cause   the library failure behind it, or null
     * @since 0.3
     */
    public EmailConfigException(Reason reason, String message, @Nullable LocalizedText hint,
                                @Nullable Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.hint = hint;
    }

    /**
     * Creates an exception with a hint worded for this failure in English and German.
     *
     * @param reason  never null
     * @param message what failed, naming the field, provider or server involved; never a secret
     * @param cause   the library failure behind it, or null
     * @param hint    what to do next; null for the reason's default hint
     * @deprecated the only constructor that takes the cause before the hint; use
     *             {@link #EmailConfigException(Reason, String, LocalizedText, Throwable)}
     */
    @Deprecated(since = "0.3", forRemoval = true)
    public EmailConfigException(Reason reason, String message, @Nullable Throwable cause,
                                @Nullable LocalizedText hint) {
        this(reason, message, hint, cause);
    }

    /**
     * Creates an exception with the reason's default hint and the failure behind it. Write this instead of
     * passing {@code null} as the hint: a literal {@code null} matches both four-argument constructors.
     *
     * @param reason  never null
     * @param message what failed; never a secret
     * @param cause   the library failure behind it, or null
     * @since 0.3
     */
    public EmailConfigException(Reason reason, String message, @Nullable Throwable cause) {
        this(reason, message, (LocalizedText) null, cause);
    }

    /**
     * Creates an exception with the reason's default hint.
     *
     * @param reason  never null
     * @param message what failed; never a secret
     */
    public EmailConfigException(Reason reason, String message) {
        this(reason, message, (LocalizedText) null, null);
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
     * What an administrator can do about it, in the language of the actor the service threw this for (as
     * {@link #hint(Locale)} with the actor's locale), and in English when it was thrown for no actor.
     *
     * @return never null
     */
    public String hint() {
        return hint(locale);
    }

    /**
     * Makes {@link #hint()} speak an actor's language. The service calls it once, before it throws this to an
     * actor; {@link #hint(Locale)} answers in any language whatever it was set to.
     *
     * @param actorLocale the locale of the actor the exception is thrown for, never null
     * @return this exception, to throw
     */
    public EmailConfigException speaking(Locale actorLocale) {
        this.locale = Objects.requireNonNull(actorLocale, "actorLocale");
        return this;
    }

    /**
     * What an administrator can do about it, in a locale's language when the text exists in it, else English
     * ({@link LocalizedText#in}). The reason's own hint and the library's hints worded for a particular failure
     * (naming a port, a field, a mailbox) exist in English and German; a provider's own words may exist in English
     * only.
     *
     * @param locale the actor's locale, never null
     * @return never null
     */
    public String hint(Locale locale) {
        return hint == null ? reason.hint(locale) : hint.in(locale);
    }

    /**
     * The hint worded for this failure, when there is one.
     *
     * @return empty when the reason's own hint applies
     */
    public Optional<LocalizedText> specificHint() {
        return Optional.ofNullable(hint);
    }
}
