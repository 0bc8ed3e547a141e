package org.emailconfig.api;

import java.util.Objects;

import org.apiguardian.api.API;

/**
 * Whether and how an SMTP client authenticates. Modelled as a sum type so that "authentication off"
 * cannot carry a username or password.
 */
@API(status = API.Status.STABLE, since = "0.1")
public sealed interface SmtpAuthentication {

    /**
     * No authentication: the server accepts mail from this client without AUTH (a relay on a trusted
     * network).
     *
     * @return the single instance
     */
    static SmtpAuthentication none() {
        return None.INSTANCE;
    }

    /**
     * Authentication with username and password (AUTH PLAIN or LOGIN).
     *
     * @param username never blank
     * @param password never the keep marker
     * @return the login
     */
    static SmtpAuthentication login(String username, Secret password) {
        return new Login(username, password);
    }

    /** No AUTH command is sent. */
    enum None implements SmtpAuthentication {
        /** The only value. */
        INSTANCE
    }

    /**
     * AUTH with a username and password.
     *
     * @param username the login name, never blank, no control characters
     * @param password the password, never the keep marker
     */
    record Login(String username, Secret password) implements SmtpAuthentication {

        /**
         * Validates the components.
         *
         * @param username the login name, never blank, no control characters
         * @param password the password, never the keep marker
         */
        public Login {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (username.isBlank() || CharacterRules.hasControlCharacter(username)) {
                throw new IllegalArgumentException("username must not be blank or contain control characters");
            }
            if (password.isKeep()) {
                throw new IllegalArgumentException("password must be resolved before building a login");
            }
        }
    }
}
