package org.emailconfig.api;

import java.util.Objects;
import java.util.Optional;

import org.apiguardian.api.API;

/**
 * SMTP with username and password, or without authentication.
 *
 * @param sender         the From, never null
 * @param server         host, port and encryption, never null
 * @param authentication {@link SmtpAuthentication#none()} or a {@link SmtpAuthentication.Login}
 * @param replyTo        the Reply-To, or empty for replies to the sender
 * @param envelopeFrom   the bounce address ({@code MAIL FROM}), or empty for the sender address
 */
@API(status = API.Status.STABLE, since = "0.1")
public record PasswordSmtpConfiguration(Sender sender, SmtpServer server, SmtpAuthentication authentication,
                                        Optional<Sender> replyTo, Optional<EmailAddress> envelopeFrom)
        implements EmailConfiguration {

    /** This authentication type, as {@link #type()} returns it. */
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
    /** Form field: Reply-To address, optional. */
    public static final String REPLY_TO_ADDRESS = "replyToAddress";
    /** Form field: Reply-To display name, optional. */
    public static final String REPLY_TO_NAME = "replyToName";
    /** Form field: envelope sender (bounce) address, optional. */
    public static final String ENVELOPE_FROM = "envelopeFrom";

    /**
     * Checks for null components.
     *
     * @param sender the From, never null
     * @param server host, port and encryption, never null
     * @param authentication {@link SmtpAuthentication#none()} or a {@link SmtpAuthentication.Login}
     * @param replyTo the Reply-To, or empty for replies to the sender
     * @param envelopeFrom the bounce address ({@code MAIL FROM}), or empty for the sender address
     */
    public PasswordSmtpConfiguration {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(replyTo, "replyTo");
        Objects.requireNonNull(envelopeFrom, "envelopeFrom");
    }

    /**
     * A configuration without Reply-To or envelope sender: replies and bounces go to the sender.
     *
     * @param sender         the From, never null
     * @param server         host, port and encryption, never null
     * @param authentication {@link SmtpAuthentication#none()} or a {@link SmtpAuthentication.Login}
     */
    public PasswordSmtpConfiguration(Sender sender, SmtpServer server, SmtpAuthentication authentication) {
        this(sender, server, authentication, Optional.empty(), Optional.empty());
    }

    @Override
    public String type() {
        return TYPE;
    }
}
