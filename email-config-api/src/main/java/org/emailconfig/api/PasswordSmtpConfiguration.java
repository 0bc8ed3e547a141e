package org.emailconfig.api;

import java.util.Objects;

import org.apiguardian.api.API;

/**
 * SMTP with username and password, or without authentication.
 *
 * @param sender         the From, never null
 * @param server         host, port and encryption, never null
 * @param authentication {@link SmtpAuthentication#none()} or a {@link SmtpAuthentication.Login}
 */
@API(status = API.Status.STABLE, since = "0.1")
public record PasswordSmtpConfiguration(Sender sender, SmtpServer server, SmtpAuthentication authentication)
        implements EmailConfiguration {

    /** The provider id of this type. */
    public static final String TYPE = "smtp-password";

    /** Form field: sender address. */
    public static final String SENDER_ADDRESS = "senderAddress";
    /** Form field: sender display name, optional. */
    public static final String SENDER_NAME = "senderName";
    /** Form field: SMTP host. */
    public static final String HOST = "host";
    /** Form field: SMTP port, default 587. */
    public static final String PORT = "port";
    /** Form field: one of {@link Encryption}'s names, default {@code STARTTLS}. */
    public static final String ENCRYPTION = "encryption";
    /** Form field: "true" or "false", default "true": whether to authenticate (the "SMTP authentication" switch). */
    public static final String AUTHENTICATION = "authentication";
    /** Form field: username, required when authentication is on. */
    public static final String USERNAME = "username";
    /** Secret form field: password, required when authentication is on. */
    public static final String PASSWORD = "password";

    /**
     * Checks for null components.
     *
     * @param sender the From, never null
     * @param server host, port and encryption, never null
     * @param authentication {@link SmtpAuthentication#none()} or a {@link SmtpAuthentication.Login}
     */
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
