package org.emailconfig.api;

import java.util.Locale;
import java.util.Objects;

import org.apiguardian.api.API;

/**
 * Who is acting: the host maps its logged-in user to an actor for every call. Test emails go to the
 * actor's own {@link #email()}, which is why a form can never choose the test recipient.
 *
 * @param id            the host's stable user id (used in audit events), never blank
 * @param email         the actor's own address, never null
 * @param administrator whether the actor may view, change and test the configuration
 * @param locale        language for messages and labels, never null
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Actor(String id, EmailAddress email, boolean administrator, Locale locale) {

    /**
     * Validates the components.
     *
     * @param id the host's stable user id (used in audit events), never blank
     * @param email the actor's own address, never null
     * @param administrator whether the actor may view, change and test the configuration
     * @param locale language for messages and labels, never null
     */
    public Actor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(locale, "locale");
        if (id.isBlank()) {
            throw new IllegalArgumentException("actor id must not be blank");
        }
    }

    /**
     * An administrator with English messages.
     *
     * @param id    user id
     * @param email the administrator's own address
     * @return the actor
     */
    public static Actor admin(String id, String email) {
        return new Actor(id, EmailAddress.of(email), true, Locale.ENGLISH);
    }

    /**
     * A user without administrator rights, with English messages.
     *
     * @param id    user id
     * @param email the user's address
     * @return the actor
     */
    public static Actor user(String id, String email) {
        return new Actor(id, EmailAddress.of(email), false, Locale.ENGLISH);
    }

    /**
     * The same actor with another locale.
     *
     * @param newLocale never null
     * @return a copy
     */
    public Actor withLocale(Locale newLocale) {
        return new Actor(id, email, administrator, newLocale);
    }
}
