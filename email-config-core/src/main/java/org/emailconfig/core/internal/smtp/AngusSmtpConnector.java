package org.emailconfig.core.internal.smtp;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import javax.net.ssl.SSLSocketFactory;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;

import org.apiguardian.api.API;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.DiagnosisReport;
import org.emailconfig.api.Encryption;
import org.emailconfig.api.Reason;
import org.emailconfig.api.SmtpServer;
import org.emailconfig.api.spi.MailDelivery;
import org.emailconfig.api.spi.SmtpConnector;
import org.emailconfig.api.spi.SmtpLogin;
import org.emailconfig.core.internal.text.CoreTexts;
import org.jspecify.annotations.Nullable;

/**
 * The SMTP engine on Angus Mail. Every connection gets: bounded connect, read and write timeouts;
 * STARTTLS enabled <em>and required</em> for {@link Encryption#STARTTLS}; implicit TLS for
 * {@link Encryption#SSL_TLS}; host-name verification on; TLS 1.2+ only; no silent fallback to a plain
 * socket; the host's trust anchors when given; AUTH tracing off so credentials never reach a log.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class AngusSmtpConnector implements SmtpConnector, AutoCloseable {

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration greetingTimeout;
    private final SSLSocketFactory sslSocketFactory;
    private final NoDelaySockets.Plain plainSocketFactory = new NoDelaySockets.Plain();
    private final @Nullable String localHostName;
    private final ScheduledExecutorService writeTimeouts;
    private final Clock clock;
    private final boolean allowPasswordsOverUnencryptedConnections;

    /**
     * Creates the connector.
     *
     * @param connectTimeout   TCP connect timeout
     * @param readTimeout      read and write timeout
     * @param sslSocketFactory TLS sockets trusting the JDK's CAs and the host's anchors
     * @param localHostName    name sent in EHLO, or null for the local host name
     * @param greetingTimeout  how long to wait for the server's greeting (at most the read timeout)
     * @param clock            tells a diagnosis how long a certificate has left
     * @param allowPasswordsOverUnencryptedConnections whether credentials may go to another host unencrypted (the host's
     *                         {@code allowPasswordsOverUnencryptedConnections()})
     */
    public AngusSmtpConnector(Duration connectTimeout, Duration readTimeout, SSLSocketFactory sslSocketFactory,
                              @Nullable String localHostName, Duration greetingTimeout, Clock clock,
                              boolean allowPasswordsOverUnencryptedConnections) {
        this.clock = clock;
        this.allowPasswordsOverUnencryptedConnections = allowPasswordsOverUnencryptedConnections;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.greetingTimeout = greetingTimeout;
        this.sslSocketFactory = new NoDelaySockets.Tls(sslSocketFactory);
        this.localHostName = localHostName;
        // One shared daemon scheduler instead of Angus's thread per connection for write timeouts.
        this.writeTimeouts = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "email-config-smtp-write-timeout");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public MailDelivery connect(SmtpServer server, SmtpLogin login) {
        TrackingSmtpTransport transport = transport(server, login);
        List<String> secrets = open(transport, server, login);
        return new SmtpMailDelivery(transport, server, secrets);
    }

    @Override
    public DiagnosisReport diagnose(SmtpServer server, SmtpLogin login) {
        return new SmtpDiagnosis(this, new SmtpProbe(connectTimeout, greetingTimeout, localHostName), clock)
                .diagnose(server, login);
    }

    /** A transport with the engine's settings for a server and a kind of login, not yet connected. */
    TrackingSmtpTransport transport(SmtpServer server, SmtpLogin login) {
        Session session = session(server, login);
        return new TrackingSmtpTransport(session, server.host(), server.port(),
                server.encryption() == Encryption.SSL_TLS, greetingTimeout, readTimeout);
    }

    /**
     * Connects, upgrades and logs in; closes the transport and throws a classified failure when any of it
     * fails, or when authentication is configured and the server offers none.
     *
     * @return the texts to mask in this connection's failures (the secret and its encodings)
     */
    List<String> open(TrackingSmtpTransport transport, SmtpServer server, SmtpLogin login) {
        if (login != SmtpLogin.none() && server.encryption() == Encryption.NONE && !allowPasswordsOverUnencryptedConnections
                && !loopback(server.host())) {
            // The built-in type refuses this as a field error; a third-party provider gets the same rule here.
            throw DeliveryFailedException.builder(Reason.ENCRYPTION_REQUIRED, "Not connecting to " + server.host() + ":"
                    + server.port() + ": credentials are never sent over an unencrypted connection to another host")
                    .hint(CoreTexts.text("hint.credentialsInClear")).step(DeliveryStep.CONNECT).build();
        }
        List<String> secrets = SecretMasking.secretsOf(login);
        transport.maskInLogs(secrets);
        try {
            if (login instanceof SmtpLogin.Password p) {
                transport.connect(server.host(), server.port(), p.username(), p.password().reveal());
            } else if (login instanceof SmtpLogin.XOAuth2 x) {
                transport.connect(server.host(), server.port(), x.username(), x.accessToken().reveal());
            } else {
                transport.connect(server.host(), server.port(), null, null);
            }
        } catch (MessagingException | IllegalStateException e) {
            // Classify before closing: closing resets the transport's last reply.
            DeliveryFailedException failure = SmtpFailures.classify(e, server, secrets, transport);
            closeQuietly(transport);
            if (failure.reason() == Reason.SMTP_AUTH_DISABLED && login instanceof SmtpLogin.Password) {
                // 535 5.7.139 to a password: Exchange Online's basic authentication is off; OAuth is the way on.
                failure = failure.toBuilder().hint(CoreTexts.text("hint.exchangeBasicAuthOff")).build();
            }
            throw failure;
        }
        if (login != SmtpLogin.none() && !transport.supportsExtension("AUTH") && transport.ehloRefusal() != null) {
            closeQuietly(transport);
            throw SmtpFailures.ehloRefused(new MessagingException("EHLO refused"), server, secrets,
                    transport.ehloRefusal());
        }
        if (login != SmtpLogin.none() && !transport.supportsExtension("AUTH")) {
            // Angus skips AUTH without a word when EHLO offers none: the message would go out unauthenticated,
            // and a wrong password would pass the test.
            boolean offersStartTls = transport.supportsExtension("STARTTLS");
            closeQuietly(transport);
            throw DeliveryFailedException.builder(Reason.AUTH_NOT_OFFERED, "Sending through " + server.host() + ":"
                    + server.port() + " (" + server.encryption() + ") stopped at AUTH: the server offers no "
                    + "authentication on this connection, and the configuration requires it. Nothing was sent.")
                    .hint(offersStartTls && server.encryption() == Encryption.NONE
                            ? CoreTexts.text("hint.auth.afterStarttls") : null)
                    .step(DeliveryStep.AUTH).build();
        }
        return secrets;
    }

    /** Sessions hold no secret (only server, timeouts and mechanisms); creating one costs about a millisecond. */
    private final java.util.Map<SessionKey, Session> sessions = new java.util.concurrent.ConcurrentHashMap<>();

    private record SessionKey(SmtpServer server, Class<?> loginKind) {
    }

    private Session session(SmtpServer server, SmtpLogin login) {
        if (sessions.size() > 32) {
            // Many servers were checked (diagnoses of drafts): start over rather than grow.
            sessions.clear();
        }
        return sessions.computeIfAbsent(new SessionKey(server, login.getClass()),
                k -> Session.getInstance(properties(server, login)));
    }

    Properties properties(SmtpServer server, SmtpLogin login) {
        Properties p = new Properties();
        p.put("mail.smtp.host", server.host());
        p.put("mail.smtp.port", Integer.toString(server.port()));
        p.put("mail.smtp.connectiontimeout", Long.toString(connectTimeout.toMillis()));
        p.put("mail.smtp.timeout", Long.toString(readTimeout.toMillis()));
        p.put("mail.smtp.writetimeout", Long.toString(readTimeout.toMillis()));
        p.put("mail.smtp.executor.writetimeout", writeTimeouts);
        if (localHostName != null) {
            p.put("mail.smtp.localhost", localHostName);
        }
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        p.put("mail.smtp.ssl.protocols", "TLSv1.3 TLSv1.2");
        p.put("mail.smtp.socketFactory", plainSocketFactory);
        p.put("mail.smtp.socketFactory.fallback", "false");
        p.put("mail.smtp.ssl.socketFactory", sslSocketFactory);
        if (server.encryption() == Encryption.STARTTLS) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        } else if (server.encryption() == Encryption.SSL_TLS) {
            p.put("mail.smtp.ssl.enable", "true");
        }
        // A recipient refused (or beyond the server's per-transaction limit) must not cost the others the message.
        p.put("mail.smtp.sendpartial", "true");
        // Debug output stays off, and even when a host turns it on, AUTH lines are never traced.
        p.put("mail.debug", "false");
        p.put("mail.debug.auth", "false");
        p.put("mail.debug.auth.username", "false");
        p.put("mail.debug.auth.password", "false");
        if (login instanceof SmtpLogin.Password) {
            p.put("mail.smtp.auth", "true");
            p.put("mail.smtp.auth.mechanisms", "PLAIN LOGIN");
        } else if (login instanceof SmtpLogin.XOAuth2) {
            p.put("mail.smtp.auth", "true");
            // The only mechanism: a server that also offers LOGIN must never receive the token as a password.
            p.put("mail.smtp.auth.mechanisms", "XOAUTH2");
        } else {
            p.put("mail.smtp.auth", "false");
        }
        return p;
    }

    /**
     * A literal loopback address or localhost: credentials sent there never leave the machine.
     *
     * @param host a host name or address literal
     * @return true for a loopback host
     */
    public static boolean loopback(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.matches("127(\\.\\d{1,3}){3}");
    }

    static void closeQuietly(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException | RuntimeException ignored) {
            // Closing a broken connection cannot fail in a way the caller could act on.
        }
    }

    @Override
    public void close() {
        writeTimeouts.shutdownNow();
    }
}
