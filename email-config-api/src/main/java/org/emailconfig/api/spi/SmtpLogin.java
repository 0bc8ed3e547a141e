package org.emailconfig.api.spi;

import java.util.Objects;

import org.apiguardian.api.API;
import org.emailconfig.api.Secret;

/**
 * How {@link SmtpConnector} authenticates after connecting.
 *
 * <pre>{@code
 * SmtpLogin none = SmtpLogin.none();
 * SmtpLogin password = new SmtpLogin.Password("noreply@example.com", Secret.of(typed));
 * SmtpLogin oauth = new SmtpLogin.XOAuth2("noreply@contoso.com", accessToken);
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public sealed interface SmtpLogin {

    /**
     * No AUTH command.
     *
     * @return the instance
     */
    static SmtpLogin none() {
        return Anonymous.INSTANCE;
    }

    /** No authentication. */
    enum Anonymous implements SmtpLogin {
        /** The only value. */
        INSTANCE
    }

    /**
     * AUTH PLAIN or LOGIN, whichever the server offers.
     *
     * @param username login name
     * @param password password, never the keep marker
     */
    record Password(String username, Secret password) implements SmtpLogin {
        /**
         * Checks for nulls.
         *
         * @param username login name
         * @param password password, never the keep marker
         */
        public Password {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }
    }

    /**
     * AUTH XOAUTH2 only, with an OAuth 2.0 access token.
     *
     * @param username    the mailbox the token acts for
     * @param accessToken the bearer token
     */
    record XOAuth2(String username, Secret accessToken) implements SmtpLogin {
        /**
         * Checks for nulls.
         *
         * @param username the mailbox the token acts for
         * @param accessToken the bearer token
         */
        public XOAuth2 {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(accessToken, "accessToken");
        }
    }
}
