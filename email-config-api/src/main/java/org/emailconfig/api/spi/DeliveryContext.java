package org.emailconfig.api.spi;

import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import org.apiguardian.api.API;

/**
 * What the engine offers {@link AuthenticationProvider#open}: the things a provider must not build
 * itself, so every provider gets the same safe defaults. Implemented by the engine.
 *
 * <pre>{@code
 * public MailDelivery open(EmailConfiguration c, DeliveryContext context) {
 *     HttpClient http = HttpClient.newBuilder().sslContext(context.sslContext())
 *             .connectTimeout(context.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
 *     return new WebhookDelivery(http, context.readTimeout(), context.clock(), (WebhookConfiguration) c);
 * }
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface DeliveryContext {

    /**
     * An SMTP connector with secure defaults (required STARTTLS, certificate and host-name checks,
     * bounded timeouts, failure classification).
     *
     * @return never null
     */
    SmtpConnector smtp();

    /**
     * The engine's clock, for token expiry and the like.
     *
     * @return never null
     */
    Clock clock();

    /**
     * How long to wait for a TCP or HTTP connection.
     *
     * @return positive
     */
    Duration connectTimeout();

    /**
     * How long to wait for a read or write.
     *
     * @return positive
     */
    Duration readTimeout();

    /**
     * TLS for HTTPS calls a provider makes (token endpoints, REST APIs): the JDK's trusted CAs plus the
     * host's extra anchors. Host-name verification stays the caller's default (on).
     *
     * @return never null; by default the JDK's default context
     */
    default SSLContext sslContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context in this JVM", e);
        }
    }
}
