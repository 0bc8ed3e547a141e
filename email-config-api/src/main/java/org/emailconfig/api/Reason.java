package org.emailconfig.api;

import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;

import org.apiguardian.api.API;

/**
 * Why an operation failed, as a stable machine-readable code with a default hint an administrator can
 * act on, in English and German ({@link #hint(Locale)}). Codes are never renamed; new ones may be added.
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum Reason {
    /** The draft has field errors; see {@link InvalidConfigurationException#violations()}. */
    INVALID_CONFIGURATION,
    /** The actor is not an administrator. */
    NOT_ALLOWED,
    /** Another save landed first. */
    CONCURRENT_UPDATE,
    /** Nothing is configured yet. */
    NOT_CONFIGURED,
    /** The store could not be read or written. */
    STORE_FAILURE,
    /** No installed provider handles a type. */
    PROVIDER_MISSING,
    /** Two providers claim one id. */
    PROVIDER_DUPLICATE,
    /** A provider failed to load, has an invalid id, or failed unexpectedly while reading a draft. */
    PROVIDER_BROKEN,

    /** The server rejected the username/password or token. */
    AUTH_REJECTED,
    /** The server requires authentication that was not configured. */
    AUTH_REQUIRED,
    /** No common AUTH mechanism. */
    AUTH_MECHANISM_UNSUPPORTED,
    /** STARTTLS was required but the server does not offer it. */
    STARTTLS_UNAVAILABLE,
    /** The server's certificate is not trusted. */
    TLS_CERTIFICATE_UNTRUSTED,
    /** The certificate does not match the host name. */
    TLS_HOSTNAME_MISMATCH,
    /** Another TLS failure (protocol mismatch, plain port spoken to with TLS). */
    TLS_HANDSHAKE,
    /** The host name does not resolve. */
    UNKNOWN_HOST,
    /** Nothing listens on the port, or a firewall refused. */
    CONNECTION_REFUSED,
    /** The TCP connection was not established in time. */
    CONNECTION_TIMEOUT,
    /** Connected, but the server did not answer in time. */
    READ_TIMEOUT,
    /** SMTP AUTH is switched off for the tenant or the mailbox (Microsoft 365: 535 5.7.139). */
    SMTP_AUTH_DISABLED,
    /** The account may not send as the configured sender (Microsoft 365: 554 5.2.252 SendAsDenied). */
    SENDER_NOT_ALLOWED,
    /** The server refused the sender address. */
    SENDER_REJECTED,
    /** The server refused a recipient. */
    RECIPIENT_REJECTED,
    /** The server refused the message. */
    MESSAGE_REJECTED,
    /** Any other failure talking to the server. */
    SERVER_ERROR,

    /** Authentication is on, but the server offers no AUTH on this connection; nothing was sent. */
    AUTH_NOT_OFFERED,
    /** The server could not check the credentials right now (454 4.7.0). */
    AUTH_TEMPORARY_FAILURE,
    /** The server requires STARTTLS before it accepts anything (530 5.7.0). */
    ENCRYPTION_REQUIRED,
    /** The server does not relay for this client (554 5.7.1 Relay access denied). */
    RELAY_DENIED,
    /** The server refuses this client's host (a 554 greeting, 554 5.7.1 Client host rejected). */
    CLIENT_REJECTED,
    /** The message is larger than the server accepts (552, 5.3.4). */
    MESSAGE_TOO_BIG,
    /** A temporary refusal (4xx): the server may take the message a little later. */
    SERVER_TEMPORARY_FAILURE,
    /** The server closed the connection before the message was accepted. */
    CONNECTION_LOST,

    /** OAuth: the tenant does not exist (AADSTS90002). */
    OAUTH_TENANT_NOT_FOUND,
    /** OAuth: the application is not registered in the tenant (AADSTS700016). */
    OAUTH_CLIENT_NOT_FOUND,
    /** OAuth: wrong client secret (AADSTS7000215). */
    OAUTH_INVALID_CLIENT_SECRET,
    /** OAuth: the client secret expired (AADSTS7000222). */
    OAUTH_CLIENT_SECRET_EXPIRED,
    /** OAuth: the application lacks a permission or admin consent. */
    OAUTH_PERMISSION_MISSING,
    /** OAuth: the identity platform could not be reached. */
    OAUTH_UNREACHABLE,
    /** OAuth: any other token failure. */
    OAUTH_ERROR,

    /**
     * A failure a third-party provider names in its own words: see
     * {@link DeliveryFailedException#providerCode()} and the exception's hint, which the provider words (in
     * English and German where it can). For services that are neither SMTP nor Microsoft (a webhook, an
     * HTTP mail API), so an admin is not told to "check username and password" for an HTTP 401.
     */
    PROVIDER_FAILURE;

    /** The bundle of hints: {@code Hints.properties} (English) and {@code Hints_de.properties} (German). */
    private static final String HINTS = "org.emailconfig.api.Hints";

    /**
     * A hint an administrator can act on, in English.
     *
     * @return never null
     */
    public String defaultHint() {
        return hint(Locale.ROOT);
    }

    /**
     * A hint an administrator can act on, in a locale's language: German for German locales, English for
     * every other (a JVM whose default locale is German still gets English when English is asked for).
     *
     * @param locale the actor's locale, never null
     * @return never null
     */
    public String hint(Locale locale) {
        Objects.requireNonNull(locale, "locale");
        Locale language = "de".equals(locale.getLanguage()) ? Locale.GERMAN : Locale.ROOT;
        return ResourceBundle.getBundle(HINTS, language).getString(name());
    }
}
