package org.emailconfig.api;

import org.apiguardian.api.API;

/**
 * Where in a delivery a failure happened, so an administrator (and support) can see how far it got. SMTP
 * deliveries go through the steps from {@link #RESOLVE} to {@link #DATA}; Microsoft OAuth 2.0 adds
 * {@link #TOKEN}, and Graph delivery uses {@link #GRAPH} instead of the SMTP steps.
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum DeliveryStep {
    /** Looking up the server's host name. */
    RESOLVE,
    /** Opening the TCP connection. */
    CONNECT,
    /** The TLS handshake: at once for SSL/TLS, after STARTTLS otherwise. */
    TLS,
    /** Waiting for the server's 220 greeting. */
    GREETING,
    /** EHLO and the capabilities the server offers. */
    EHLO,
    /** The STARTTLS command. */
    STARTTLS,
    /** SMTP authentication. */
    AUTH,
    /** MAIL FROM: the sender. */
    MAIL,
    /** RCPT TO: the recipients. */
    RCPT,
    /** DATA and the message up to the server's final answer. */
    DATA,
    /** Getting an access token from the identity platform. */
    TOKEN,
    /** A Microsoft Graph request. */
    GRAPH
}
