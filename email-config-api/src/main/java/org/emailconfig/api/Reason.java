package org.emailconfig.api;

/**
 * Why an operation failed, as a stable machine-readable code with a default hint an administrator can
 * act on. Codes are never renamed; new ones may be added.
 */
public enum Reason {
    /** The draft has field errors; see {@link InvalidConfigurationException#violations()}. */
    INVALID_CONFIGURATION("Correct the highlighted fields and save again."),
    /** The actor is not an administrator. */
    NOT_ALLOWED("Only administrators can view, change or test the email configuration."),
    /** Another save landed first. */
    CONCURRENT_UPDATE("Someone else saved the email configuration meanwhile: reload the form and apply your change again."),
    /** Nothing is configured yet. */
    NOT_CONFIGURED("Configure outgoing email first: an administrator has to save a configuration."),
    /** The store could not be read or written. */
    STORE_FAILURE("The configuration could not be read or written; check the storage (disk, database) and its permissions."),
    /** No installed provider handles a type. */
    PROVIDER_MISSING("Add the jar of the authentication provider for this type to the application, or choose another type."),
    /** Two providers claim one id. */
    PROVIDER_DUPLICATE("Remove one of the two jars that provide the same authentication type."),
    /** A provider failed to load or has an invalid id. */
    PROVIDER_BROKEN("The authentication provider could not be loaded; check its jar and version."),

    /** The server rejected the username/password or token. */
    AUTH_REJECTED("Authentication was rejected by the server: check username and password."),
    /** The server requires authentication that was not configured. */
    AUTH_REQUIRED("The server requires authentication: switch SMTP authentication on and enter username and password."),
    /** No common AUTH mechanism. */
    AUTH_MECHANISM_UNSUPPORTED("The server offers no authentication method this client can use; check host and port."),
    /** STARTTLS was required but the server does not offer it. */
    STARTTLS_UNAVAILABLE("The server does not offer STARTTLS on this port: use port 587 with STARTTLS, or 465 with SSL/TLS."),
    /** The server's certificate is not trusted. */
    TLS_CERTIFICATE_UNTRUSTED("The server's certificate is not trusted: if it comes from a private CA, the application must be given that CA's certificate."),
    /** The certificate does not match the host name. */
    TLS_HOSTNAME_MISMATCH("The server's certificate does not match the host name: use the host name the certificate was issued for."),
    /** Another TLS failure (protocol mismatch, plain port spoken to with TLS). */
    TLS_HANDSHAKE("The TLS handshake failed: check that the encryption matches the port (587 STARTTLS, 465 SSL/TLS)."),
    /** The host name does not resolve. */
    UNKNOWN_HOST("The host name could not be resolved: check the spelling of the SMTP host."),
    /** Nothing listens on the port, or a firewall refused. */
    CONNECTION_REFUSED("The connection was refused: check host and port, and that a firewall allows outgoing connections."),
    /** The TCP connection was not established in time. */
    CONNECTION_TIMEOUT("The server did not accept a connection in time: check host, port and firewall."),
    /** Connected, but the server did not answer in time. */
    READ_TIMEOUT("The server accepted the connection but did not answer in time: check that the encryption matches the port."),
    /** SMTP AUTH is switched off for the tenant or the mailbox (Microsoft 365: 535 5.7.139). */
    SMTP_AUTH_DISABLED("SMTP AUTH is disabled for the tenant or the mailbox: an Exchange administrator must enable it (Set-CASMailbox -SmtpClientAuthenticationDisabled $false), or use Graph delivery."),
    /** The account may not send as the configured sender (Microsoft 365: 554 5.2.252 SendAsDenied). */
    SENDER_NOT_ALLOWED("The account is not allowed to send as the sender address: use its own mailbox, or grant it Send As permission on that mailbox."),
    /** The server refused the sender address. */
    SENDER_REJECTED("The server refused the sender address: use an address this account may send as."),
    /** The server refused a recipient. */
    RECIPIENT_REJECTED("The server refused a recipient address."),
    /** The server refused the message. */
    MESSAGE_REJECTED("The server refused the message."),
    /** Any other failure talking to the server. */
    SERVER_ERROR("The mail server reported an error; see the server reply."),

    /** Authentication is on, but the server offers no AUTH on this connection; nothing was sent. */
    AUTH_NOT_OFFERED("The server offers no authentication on this connection, so nothing was sent: check host, port and encryption (many servers offer it only after STARTTLS), or switch SMTP authentication off for a relay that needs none."),
    /** The server could not check the credentials right now (454 4.7.0). */
    AUTH_TEMPORARY_FAILURE("The server could not check the credentials right now (it may be limiting attempts after failed logins); try again in a minute. The credentials were not necessarily wrong."),
    /** The server requires STARTTLS before it accepts anything (530 5.7.0). */
    ENCRYPTION_REQUIRED("The server requires an encrypted connection: choose STARTTLS for this port."),
    /** The server does not relay for this client (554 5.7.1 Relay access denied). */
    RELAY_DENIED("The server does not relay mail for this application: switch SMTP authentication on, or use the submission port 587 with STARTTLS."),
    /** The server refuses this client's host (a 554 greeting, 554 5.7.1 Client host rejected). */
    CLIENT_REJECTED("The server refuses connections or mail from this application's host: ask the mail server's administrator to allow it."),
    /** The message is larger than the server accepts (552, 5.3.4). */
    MESSAGE_TOO_BIG("The message is larger than the server accepts: make it smaller, or ask the mail server's administrator for a higher limit."),
    /** A temporary refusal (4xx): the server may take the message a little later. */
    SERVER_TEMPORARY_FAILURE("The server cannot take the message right now (a temporary refusal); it is tried again automatically for notifications. If it persists, check the server."),
    /** The server closed the connection before the message was accepted. */
    CONNECTION_LOST("The server closed the connection before it accepted the message; try again, and check the server's logs if it repeats."),

    /** OAuth: the tenant does not exist (AADSTS90002). */
    OAUTH_TENANT_NOT_FOUND("The directory (tenant) ID was not found: copy it from the app registration's overview page."),
    /** OAuth: the application is not registered in the tenant (AADSTS700016). */
    OAUTH_CLIENT_NOT_FOUND("The application (client) ID was not found in this directory: check both IDs."),
    /** OAuth: wrong client secret (AADSTS7000215). */
    OAUTH_INVALID_CLIENT_SECRET("The client secret is wrong: enter the secret's value, not its ID."),
    /** OAuth: the client secret expired (AADSTS7000222). */
    OAUTH_CLIENT_SECRET_EXPIRED("The client secret has expired: create a new one in the app registration and enter its value."),
    /** OAuth: the application lacks a permission or admin consent. */
    OAUTH_PERMISSION_MISSING("The application lacks the permission to send mail or admin consent for it."),
    /** OAuth: the identity platform could not be reached. */
    OAUTH_UNREACHABLE("The Microsoft identity platform could not be reached; check the network and proxy."),
    /** OAuth: any other token failure. */
    OAUTH_ERROR("The Microsoft identity platform refused to issue a token.");

    private final String defaultHint;

    Reason(String defaultHint) {
        this.defaultHint = defaultHint;
    }

    /**
     * A hint an administrator can act on, in English.
     *
     * @return never null
     */
    public String defaultHint() {
        return defaultHint;
    }
}
