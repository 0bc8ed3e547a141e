package org.emailconfig.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.ScriptedSmtpServer.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a metrics backend sees of real deliveries: one {@code mail.send} timer per attempt, tagged as Micrometer's
 * own mail observation plus transport, kind, outcome and reason, never a recipient or subject; and gauges from
 * health.
 */
class EmailConfigMetricsTest {

    @RegisterExtension
    final ScriptedSmtpServer smtp = ScriptedSmtpServer.plain();

    private ConfigurationDraft draft() {
        return ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                .set(PasswordSmtpConfiguration.SENDER_ADDRESS, "noreply@sandbox.test")
                .set(PasswordSmtpConfiguration.HOST, SandboxMailServer.HOST)
                .set(PasswordSmtpConfiguration.PORT, Integer.toString(smtp.port()))
                .set(PasswordSmtpConfiguration.ENCRYPTION, "NONE")
                .set(PasswordSmtpConfiguration.AUTHENTICATION, "false").build();
    }

    @Test
    void everyAttemptIsTimedWithLowCardinalityTagsAndHealthIsAGauge() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EmailConfigMetrics metrics = new EmailConfigMetrics();
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().deliveryListener(metrics)
                .notificationRetryDeadline(Duration.ZERO).build()) {
            metrics.observe(s).bindTo(registry);
            assertEquals(2.0, registry.get("email.config.health").gauge().value(), "nothing configured: DOWN");

            s.save(new SandboxMailServer().admin(), draft());
            s.notifications().send(Notification.of(EmailAddress.of("jane@sandbox.test"), "Secret subject", "Body"));
            smtp.reply(Stage.MAIL, "451 4.3.0 Try again later");
            assertThrows(DeliveryFailedException.class, () -> s.notifications().send(
                    Notification.of(EmailAddress.of("jane@sandbox.test"), "Secret subject", "Body")));

            Timer sent = registry.get("mail.send").tag("kind", "notification").tag("outcome", "sent").timer();
            assertEquals(1, sent.count());
            assertEquals("127.0.0.1", sent.getId().getTag("server.address"));
            assertEquals(Integer.toString(smtp.port()), sent.getId().getTag("server.port"));
            assertEquals("smtp", sent.getId().getTag("network.protocol.name"));
            assertEquals("smtp", sent.getId().getTag("transport"));
            assertEquals("none", sent.getId().getTag("reason"));
            assertEquals(1, registry.get("mail.send").tag("kind", "test_email").tag("outcome", "sent").timer().count());
            Timer failed = registry.get("mail.send").tag("outcome", "failed").timer();
            assertEquals("SERVER_TEMPORARY_FAILURE", failed.getId().getTag("reason"));

            for (Meter m : registry.getMeters()) {
                String id = m.getId().toString();
                assertTrue(!id.contains("jane") && !id.contains("Secret subject") && !id.contains("@"), id);
            }
            assertEquals(1.0, registry.get("email.config.health").gauge().value(), "a failure: DEGRADED");
            assertEquals(1.0, registry.get("email.config.failures.consecutive").gauge().value());
            assertTrue(Double.isNaN(registry.get("email.config.certificate.expiry").timeGauge().value()),
                    "no TLS, no certificate");
            assertEquals(0.0, registry.get("email.config.connections.active").gauge().value(), "nothing sending now");
            assertEquals(0.0, registry.get("email.config.outbox.pending").gauge().value(), "no outbox");
        }
    }
}
