package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Encryption;
import org.emailconfig.api.Notification;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.ScriptedSmtpServer.Stage;
import org.emailconfig.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A failure ends within the configured timeout plus one second, closing included: closing a connection
 * after a timeout must not wait for the dead server a second time.
 */
class FailureDurationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** TLS 1.3 and TLS 1.2 close differently (1.2 may wait for the peer's close_notify). */
    enum Tls {
        STARTTLS("TLSv1.3"), SSL_TLS("TLSv1.3"), STARTTLS_1_2("TLSv1.2"), SSL_TLS_1_2("TLSv1.2");

        final String protocol;

        Tls(String protocol) {
            this.protocol = protocol;
        }

        Encryption encryption() {
            return name().startsWith("STARTTLS") ? Encryption.STARTTLS : Encryption.SSL_TLS;
        }
    }

    @ParameterizedTest
    @EnumSource(Tls.class)
    void aServerThatStopsAnsweringCostsOneTimeoutNotTwo(Tls tls) {
        try (ScriptedSmtpServer server = server(tls);
             EmailConfigurationService s = saved(server, tls.encryption(), TIMEOUT, Duration.ZERO)) {
            server.hang(Stage.MAIL);
            assertFailsWithin(s, TIMEOUT, tls + " hanging at MAIL");
        }
    }

    /**
     * A server that answers, but after the read timeout: its late reply must not be taken for the answer to
     * the QUIT that closing sends, nor make closing wait for it.
     */
    @ParameterizedTest(name = "{0} answering late at {1}")
    @CsvSource({"STARTTLS, AUTH", "STARTTLS, MAIL", "STARTTLS, RCPT", "STARTTLS, DATA", "STARTTLS, END_OF_DATA",
            "SSL_TLS_1_2, AUTH", "SSL_TLS_1_2, MAIL", "SSL_TLS_1_2, RCPT", "SSL_TLS_1_2, DATA",
            "SSL_TLS_1_2, END_OF_DATA", "SSL_TLS, MAIL", "STARTTLS_1_2, MAIL"})
    void aServerThatAnswersLateCostsOneTimeoutClosingIncluded(Tls tls, Stage stage) {
        Duration timeout = Duration.ofSeconds(1);
        try (ScriptedSmtpServer server = server(tls);
             EmailConfigurationService s = saved(server, tls.encryption(), timeout, Duration.ZERO)) {
            server.replyLate(stage, timeout.multipliedBy(3));
            DeliveryFailedException e = assertFailsWithin(s, timeout, tls + " late at " + stage);
            assertEquals(Reason.READ_TIMEOUT, e.reason());
        }
    }

    /** The last attempt before the retry deadline waits only for the time that is left, not a whole timeout. */
    @Test
    void theRetryDeadlineBoundsTheLastAttemptsTimeouts() {
        Duration deadline = Duration.ofMillis(3000);
        try (ScriptedSmtpServer server = server(Tls.STARTTLS);
             EmailConfigurationService s = saved(server, Encryption.STARTTLS, TIMEOUT, deadline)) {
            server.hang(Stage.MAIL);
            DeliveryFailedException e = assertFailsWithin(s, deadline, "a 3 s deadline with 2 s timeouts");
            assertTrue(e.attempts() >= 2, "tried again within the deadline: " + e.attempts());
        }
    }

    private static ScriptedSmtpServer server(Tls tls) {
        return (tls.encryption() == Encryption.STARTTLS ? ScriptedSmtpServer.withStartTls()
                : ScriptedSmtpServer.withImplicitTls()).tlsProtocols(tls.protocol).start();
    }

    private static EmailConfigurationService saved(ScriptedSmtpServer server, Encryption encryption, Duration timeout,
                                                   Duration retryDeadline) {
        EmailConfigurationService s = EmailConfig.builder().inMemoryStore()
                .trustStore(TestCertificates.trustStore()).readTimeout(timeout).connectTimeout(timeout)
                .notificationRetryDeadline(retryDeadline).build();
        s.save(new SandboxMailServer().admin(), ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                .set(PasswordSmtpConfiguration.SENDER_ADDRESS, "noreply@sandbox.test")
                .set(PasswordSmtpConfiguration.HOST, SandboxMailServer.HOST)
                .set(PasswordSmtpConfiguration.PORT, Integer.toString(server.port()))
                .set(PasswordSmtpConfiguration.ENCRYPTION, encryption.name())
                .set(PasswordSmtpConfiguration.AUTHENTICATION, "true")
                .set(PasswordSmtpConfiguration.USERNAME, "noreply@sandbox.test")
                .secret(PasswordSmtpConfiguration.PASSWORD, Secret.of("duration-pw")).build());
        return s;
    }

    private static DeliveryFailedException assertFailsWithin(EmailConfigurationService s, Duration bound, String what) {
        long start = System.nanoTime();
        DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> s.notifications()
                .send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link")));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < bound.toMillis() + 1000, what + ": the failure took " + ms + " ms (" + e.reason() + ")");
        return e;
    }
}
