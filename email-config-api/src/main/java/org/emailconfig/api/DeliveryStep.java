package org.emailconfig.api;

import java.util.Locale;
import java.util.Optional;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Where in a delivery a failure happened, so an administrator (and support) can see how far it got. SMTP
 * deliveries go through the steps from {@link #RESOLVE} to {@link #DATA}; Microsoft OAuth 2.0 adds
 * {@link #TOKEN}, and Graph delivery uses {@link #GRAPH} instead of the SMTP steps.
 *
 * <p>One vocabulary with the connection check: a step of a {@link DiagnosisReport} that is a delivery step has
 * this step's {@link #id()} as its {@link DiagnosisReport.Step#id()} ({@code "tls"}, {@code "graph"}), so a failure's
 * step and the check's step that failed read the same.
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
    GRAPH;

    /**
     * The step's id in a {@link DiagnosisReport}: the constant's name in lowercase.
     *
     * @return for example {@code "starttls"} or {@code "graph"}
     * @since 0.3
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The delivery step a check's step id names.
     *
     * @param id a {@link DiagnosisReport.Step#id()}, may be null
     * @return empty for a step that only a check has ({@code "auth-mechanisms"}, {@code "permissions"}) or a
     *         provider's own
     * @since 0.3
     */
    public static Optional<DeliveryStep> ofId(@Nullable String id) {
        for (DeliveryStep step : values()) {
            if (step.id().equals(id)) {
                return Optional.of(step);
            }
        }
        return Optional.empty();
    }
}
