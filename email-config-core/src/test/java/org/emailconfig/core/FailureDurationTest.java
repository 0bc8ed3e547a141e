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
import org.junit.jupiter.params.ParameterizedTest;
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
        try (ScriptedSmtpServer server = (tls.encryption() == Encryption.STARTTLS ? ScriptedSmtpServer.withStartTls()
                : ScriptedSmtpServer.withImplicitTls()).tlsProtocols(tls.protocol).start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore()
                     .trustStore(TestCertificates.trustStore()).readTimeout(TIMEOUT).connectTimeout(TIMEOUT)
                     .notificationRetryDeadline(Duration.ZERO).build()) {
            s.save(new SandboxMailServer().admin(), ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                    .set(PasswordSmtpConfiguration.SENDER_ADDRESS, "noreply@sandbox.test")
                    .set(PasswordSmtpConfiguration.HOST, SandboxMailServer.HOST)
                    .set(PasswordSmtpConfiguration.PORT, Integer.toString(server.port()))
                    .set(PasswordSmtpConfiguration.ENCRYPTION, tls.encryption().name())
                    .set(PasswordSmtpConfiguration.AUTHENTICATION, "true")
                    .set(PasswordSmtpConfiguration.USERNAME, "noreply@sandbox.test")
                    .secret(PasswordSmtpConfiguration.PASSWORD, Secret.of("duration-pw")).build());
            server.hang(Stage.MAIL);
            long start = System.nanoTime();
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> s.notifications()
                    .send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link")));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(Reason.READ_TIMEOUT, e.reason());
            assertTrue(ms < TIMEOUT.toMillis() + 1000, tls + ": the failure took " + ms + " ms");
        }
    }
}
