package org.emailconfig.api;

import java.util.Objects;

/**
 * SMTP with username and password, or without authentication.
 *
 * @param sender         the From, never null
 * @param server         host, port and encryption, never null
 * @param authentication {@link SmtpAuthentication#none()} or a {@link SmtpAuthentication.Login}
 */
public record PasswordSmtpConfiguration(Sender sender, SmtpServer server, SmtpAuthentication authentication)
        implements EmailConfiguration {

    /** The provider id of this type. */
    public static final String TYPE = "smtp-password";

    /** Checks for null components. */
    public PasswordSmtpConfiguration {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(authentication, "authentication");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
