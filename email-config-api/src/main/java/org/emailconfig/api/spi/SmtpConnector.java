package org.emailconfig.api.spi;

import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.SmtpServer;

/**
 * Opens SMTP connections with the engine's secure defaults: {@code STARTTLS} is required when chosen,
 * implicit TLS for {@code SSL_TLS}, certificate and host-name checks always on (plus the host's extra
 * trust anchors, if any), connect, read and write timeouts always bounded, and credentials never
 * logged. Implemented by the engine; thread-safe.
 */
public interface SmtpConnector {

    /**
     * Connects, says EHLO, upgrades to TLS as configured and authenticates.
     *
     * @param server where to connect
     * @param login  how to authenticate
     * @return an open delivery; the caller closes it
     * @throws DeliveryFailedException classified (refused, timeout, TLS, authentication ...)
     */
    MailDelivery connect(SmtpServer server, SmtpLogin login);
}
