package org.emailconfig.api;

import java.util.Optional;

import org.apiguardian.api.API;

/**
 * A complete, validated outgoing-mail configuration. One record per built-in authentication type, so
 * a {@code switch} over them is exhaustive; types added by third-party
 * {@link org.emailconfig.api.spi.AuthenticationProvider}s are all a {@link ProviderConfiguration}: their own
 * record, or {@link CustomConfiguration}'s string maps.
 *
 * <p>How the model grows: a new built-in type adds a permitted record (a host's exhaustive {@code switch}
 * then needs a new arm, so that happens only in a minor release, named in its notes); third-party types
 * never change this list. The records' canonical constructors are stable; a record that needs a new
 * component gets it with a new constructor that keeps the old one.
 *
 * <p>Instances are immutable and never hold a {@link Secret#keep()} marker: the service resolves it
 * against the stored configuration before a configuration is built.
 */
@API(status = API.Status.STABLE, since = "0.1")
public sealed interface EmailConfiguration
        permits PasswordSmtpConfiguration, MicrosoftOAuthConfiguration, ProviderConfiguration {

    /**
     * The authentication type: the provider whose {@code type()} it is handles this configuration.
     *
     * @return lowercase letters, digits and hyphens ({@link AuthenticationType#requireValid}), never null
     */
    String type();

    /**
     * The From of every message sent with this configuration.
     *
     * @return never null
     */
    Sender sender();

    /**
     * Where replies go (the Reply-To header), when not to the sender.
     *
     * @return empty by default
     */
    default Optional<Sender> replyTo() {
        return Optional.empty();
    }

    /**
     * The envelope sender ({@code MAIL FROM}) that receives bounces, when not the sender address. Only SMTP
     * deliveries use it; Graph sets the envelope itself.
     *
     * @return empty by default
     */
    default Optional<EmailAddress> envelopeFrom() {
        return Optional.empty();
    }
}
