package org.emailconfig.api;

import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;

import org.apiguardian.api.API;

/**
 * Why an operation failed, as a stable machine-readable code with a default hint an administrator can
 * act on, in English, German and any language a host adds ({@link #hint(Locale)}), grouped by {@link #category()}. Codes are never renamed
 * and never change category; new ones may be added to any category, so never rely on the declaration order.
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum Reason {
    /** The draft has field errors; see {@link InvalidConfigurationException#violations()}. */
    INVALID_CONFIGURATION(Category.CONFIGURATION),
    /** The actor is not an administrator. */
    NOT_ALLOWED(Category.CONFIGURATION),
    /** Another save landed first. */
    CONCURRENT_UPDATE(Category.CONFIGURATION),
    /** Nothing is configured yet. */
    NOT_CONFIGURED(Category.CONFIGURATION),

    /** The store could not be read or written. */
    STORE_FAILURE(Category.STORE),

    /** No installed provider handles a type. */
    PROVIDER_MISSING(Category.PROVIDER),
    /** Two providers claim one id. */
    PROVIDER_DUPLICATE(Category.PROVIDER),
    /** A provider failed to load, has an invalid type, or failed unexpectedly while reading a draft. */
    PROVIDER_BROKEN(Category.PROVIDER),
    /**
     * A failure a third-party provider names in its own words: see
     * {@link DeliveryFailedException#providerCode()} and the exception's hint, which the provider words (in
     * English and German where it can). For services that are neither SMTP nor Microsoft (a webhook, an
     * HTTP mail API), so an admin is not told to "check username and password" for an HTTP 401.
     */
    PROVIDER_FAILURE(Category.PROVIDER),

    /** The host name does not resolve. */
    UNKNOWN_HOST(Category.CONNECTION),
    /** Nothing listens on the port, or a firewall refused. */
    CONNECTION_REFUSED(Category.CONNECTION),
    /** The TCP connection was not established in time. */
    CONNECTION_TIMEOUT(Category.CONNECTION),
    /** Connected, but the server did not answer in time. */
    READ_TIMEOUT(Category.CONNECTION),
    /** The server closed the connection before the message was accepted. */
    CONNECTION_LOST(Category.CONNECTION),

    /** STARTTLS was required but the server does not offer it. */
    STARTTLS_UNAVAILABLE(Category.TLS),
    /** The server requires STARTTLS before it accepts anything (530 5.7.0). */
    ENCRYPTION_REQUIRED(Category.TLS),
    /** The server's certificate is not trusted. */
    TLS_CERTIFICATE_UNTRUSTED(Category.TLS),
    /** The certificate does not match the host name. */
    TLS_HOSTNAME_MISMATCH(Category.TLS),
    /** Another TLS failure (protocol mismatch, plain port spoken to with TLS). */
    TLS_HANDSHAKE(Category.TLS),

    /** The server rejected the username/password or token. */
    AUTH_REJECTED(Category.AUTH),
    /** The server requires authentication that was not configured. */
    AUTH_REQUIRED(Category.AUTH),
    /** No common AUTH mechanism. */
    AUTH_MECHANISM_UNSUPPORTED(Category.AUTH),
    /** Authentication is on, but the server offers no AUTH on this connection; nothing was sent. */
    AUTH_NOT_OFFERED(Category.AUTH),
    /** The server could not check the credentials right now (454 4.7.0). */
    AUTH_TEMPORARY_FAILURE(Category.AUTH),
    /** SMTP AUTH is switched off for the tenant or the mailbox (Microsoft 365: 535 5.7.139). */
    SMTP_AUTH_DISABLED(Category.AUTH),

    /** The account may not send as the configured sender (Microsoft 365: 554 5.2.252 SendAsDenied). */
    SENDER_NOT_ALLOWED(Category.ADDRESS),
    /** The server refused the sender address. */
    SENDER_REJECTED(Category.ADDRESS),
    /** The server refused a recipient. */
    RECIPIENT_REJECTED(Category.ADDRESS),
    /** The server does not relay for this client (554 5.7.1 Relay access denied). */
    RELAY_DENIED(Category.ADDRESS),

    /** The server refuses this client's host (a 554 greeting, 554 5.7.1 Client host rejected). */
    CLIENT_REJECTED(Category.SERVER),
    /** The server refused the message. */
    MESSAGE_REJECTED(Category.SERVER),
    /** The message is larger than the server accepts (552, 5.3.4). */
    MESSAGE_TOO_BIG(Category.SERVER),
    /** A temporary refusal (4xx): the server may take the message a little later. */
    SERVER_TEMPORARY_FAILURE(Category.SERVER),
    /** Any other failure talking to the server. */
    SERVER_ERROR(Category.SERVER),

    /** OAuth: the tenant does not exist (AADSTS90002). */
    OAUTH_TENANT_NOT_FOUND(Category.TOKEN),
    /** OAuth: the application is not registered in the tenant (AADSTS700016). */
    OAUTH_CLIENT_NOT_FOUND(Category.TOKEN),
    /** OAuth: wrong client secret (AADSTS7000215). */
    OAUTH_INVALID_CLIENT_SECRET(Category.TOKEN),
    /** OAuth: the client secret expired (AADSTS7000222). */
    OAUTH_CLIENT_SECRET_EXPIRED(Category.TOKEN),
    /**
     * OAuth: the certificate that signed the client assertion is not one the app registration holds, or the
     * signature does not verify (AADSTS700027).
     *
     * @since 0.5
     */
    OAUTH_CLIENT_ASSERTION_REJECTED(Category.TOKEN),
    /**
     * OAuth: the certificate is outside its validity, expired mostly (AADSTS1000502).
     *
     * @since 0.5
     */
    OAUTH_CLIENT_CERTIFICATE_EXPIRED(Category.TOKEN),
    /**
     * OAuth: the client assertion is outside its valid time: a federated token that was not renewed, or a clock
     * that is off (AADSTS700024).
     *
     * @since 0.5
     */
    OAUTH_CLIENT_ASSERTION_EXPIRED(Category.TOKEN),
    /**
     * OAuth: no federated identity credential of the app registration matches the token's issuer, subject and
     * audience (AADSTS70021, AADSTS700211, AADSTS700213).
     *
     * @since 0.5
     */
    OAUTH_FEDERATED_CREDENTIAL_MISMATCH(Category.TOKEN),
    /**
     * OAuth: the federated token could not be read here (its file is missing or unreadable, or the host's source
     * failed), so nothing was asked of the identity platform.
     *
     * @since 0.5
     */
    OAUTH_CREDENTIAL_UNREADABLE(Category.TOKEN),
    /** OAuth: the application lacks a permission or admin consent. */
    OAUTH_PERMISSION_MISSING(Category.TOKEN),
    /** OAuth: the identity platform could not be reached. */
    OAUTH_UNREACHABLE(Category.TOKEN),
    /** OAuth: any other token failure. */
    OAUTH_ERROR(Category.TOKEN);

    /**
     * What a reason is about, so a host can group reasons (a dashboard, a metric tag, which team to call)
     * without switching over every code. The constants are declared in these groups; codes never move to
     * another category.
     */
    @API(status = API.Status.STABLE, since = "0.3")
    public enum Category {
        /** What the caller asked for: field errors, permissions, a lost race, nothing configured. */
        CONFIGURATION,
        /** The host's configuration store. */
        STORE,
        /** An authentication provider: missing, broken, or failing in its own terms. */
        PROVIDER,
        /** Reaching the server: name, connection, timeouts, a connection that went. */
        CONNECTION,
        /** Encryption: STARTTLS, certificates, the handshake. */
        TLS,
        /** Signing in to the server. */
        AUTH,
        /** The sender or recipient addresses the server refused. */
        ADDRESS,
        /** What the server said of the message or of the client otherwise. */
        SERVER,
        /** Getting an OAuth token from an identity platform. */
        TOKEN
    }

    private final Category category;

    Reason(Category category) {
        this.category = category;
    }

    /**
     * What this reason is about.
     *
     * @return the category, never null
     */
    public Category category() {
        return category;
    }

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
     * A hint an administrator can act on, in a locale's language when there is a bundle for it (German ships with
     * the library; a host may add others, see {@link LocalizedText}), English otherwise (a JVM whose default locale
     * is German still gets English when English is asked for).
     *
     * @param locale the actor's locale, never null
     * @return never null
     */
    public String hint(Locale locale) {
        Objects.requireNonNull(locale, "locale");
        return LocalizedText.fromBundle(l -> ResourceBundle.getBundle(HINTS, l), name()).in(locale);
    }
}
