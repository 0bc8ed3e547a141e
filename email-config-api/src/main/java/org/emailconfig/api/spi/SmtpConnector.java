package org.emailconfig.api.spi;

import org.apiguardian.api.API;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DiagnosisReport;
import org.emailconfig.api.SmtpServer;

/**
 * Opens SMTP connections with the engine's secure defaults: {@code STARTTLS} is required when chosen,
 * implicit TLS for {@code SSL_TLS}, certificate and host-name checks always on (plus the host's extra
 * trust anchors, if any), connect, read and write timeouts always bounded, and credentials never
 * logged. Implemented by the engine; thread-safe.
 *
 * <pre>{@code
 * MailDelivery delivery = context.smtp().connect(SmtpServer.of("smtp.example.com", 587, Encryption.STARTTLS),
 *         new SmtpLogin.Password("apikey", apiKey));
 * DiagnosisReport report = context.smtp().diagnose(server, login);   // the same steps, nothing sent
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
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

    /**
     * Checks a server step by step without sending a message: name resolution, TCP connect, TLS (protocol,
     * certificate), greeting, EHLO capabilities, STARTTLS, the offered AUTH mechanisms and the login, on
     * the same code path {@link #connect} uses. Where a step fails and the right setting can be found
     * safely (without sending credentials), the report's advice says it: a port that speaks SSL/TLS, or
     * one that speaks plain SMTP.
     *
     * @param server where to connect
     * @param login  how to authenticate
     * @return the report; never throws for a server's failure, which the report carries
     */
    default DiagnosisReport diagnose(SmtpServer server, SmtpLogin login) {
        return DiagnosisReport.byOpening(() -> connect(server, login));
    }
}
