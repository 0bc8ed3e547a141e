package org.emailconfig.api;

/**
 * A complete, validated outgoing-mail configuration. One record per built-in authentication type, so
 * a {@code switch} over them is exhaustive; types added by third-party
 * {@link org.emailconfig.api.spi.AuthenticationProvider}s use {@link CustomConfiguration}.
 *
 * <p>Instances are immutable and never hold a {@link Secret#keep()} marker: the service resolves it
 * against the stored configuration before a configuration is built.
 */
public sealed interface EmailConfiguration
        permits PasswordSmtpConfiguration, MicrosoftOAuthConfiguration, CustomConfiguration {

    /**
     * The id of the authentication provider that handles this configuration.
     *
     * @return a lowercase provider id, never null
     */
    String type();

    /**
     * The From of every message sent with this configuration.
     *
     * @return never null
     */
    Sender sender();
}
