package org.emailconfig.api;

import org.apiguardian.api.API;

/**
 * How the connection to an SMTP server is protected. There is deliberately no "STARTTLS if
 * available": a server that does not offer STARTTLS fails instead of silently receiving credentials
 * and mail in clear text.
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum Encryption {
    /** No TLS at all. Only for servers on a trusted network; credentials travel in clear text. */
    NONE(25),
    /** Plain connection upgraded with STARTTLS, which is required: no upgrade, no connection. */
    STARTTLS(587),
    /** Implicit TLS from the first byte (often called SMTPS or "SSL/TLS"). */
    SSL_TLS(465);

    private final int defaultPort;

    Encryption(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /**
     * The port conventionally used with this encryption.
     *
     * @return 25, 587 or 465
     */
    public int defaultPort() {
        return defaultPort;
    }
}
