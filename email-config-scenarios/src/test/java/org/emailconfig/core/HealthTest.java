package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.emailconfig.api.AuditEvent;
import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.EmailHealth;
import org.emailconfig.api.EmailHealth.Code;
import org.emailconfig.api.EmailHealth.Status;
import org.emailconfig.api.Notification;
import org.emailconfig.api.Reason;
import org.emailconfig.core.testing.Drafts;
import org.emailconfig.core.testing.MutableClock;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.ScriptedSmtpServer.Stage;
import org.emailconfig.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Health from evidence, never from a probe: what real deliveries showed decides UP, DEGRADED or DOWN, within one
 * notification either way, and asking for it opens no connection however often it is asked.
 */
class HealthTest {

    @RegisterExtension
    final ScriptedSmtpServer smtp = ScriptedSmtpServer.plain();

    private EmailConfigurationService service() {
        // A connection per message, so a changed reply of the server reaches the next notification.
        return EmailConfig.builder().inMemoryStore().allowPasswordsOverUnencryptedConnections()
                .readTimeout(Duration.ofSeconds(2)).notificationRetryDeadline(Duration.ZERO).maxMessagesPerConnection(1)
                .build();
    }

    private static Notification reset(String user) {
        return Notification.of(EmailAddress.of(user + "@sandbox.test"), "Reset", "Your link");
    }

    /** Health, asked many times as a busy health endpoint would: the server must see no connection from it. */
    private EmailHealth health(EmailConfigurationService s) {
        int before = smtp.connections();
        EmailHealth h = null;
        for (int i = 0; i < 50; i++) {
            h = s.health();
        }
        assertEquals(before, smtp.connections(), "health opened a connection");
        return h;
    }

    @Test
    void nothingConfiguredIsDownAndASavedConfigurationIsUpSinceItWasSaved() {
        try (EmailConfigurationService s = service()) {
            EmailHealth none = health(s);
            assertEquals(Status.DOWN, none.status());
            assertEquals(Code.NOT_CONFIGURED, none.concerns().get(0).code());
            assertEquals(0, none.revision());

            s.save(new SandboxMailServer().admin(), Drafts.password(smtp.port(), "NONE", "health-pw"));
            EmailHealth up = health(s);
            assertEquals(Status.UP, up.status());
            assertEquals(List.of(), up.concerns());
            assertEquals(1, up.revision());
            assertEquals(s.read(new SandboxMailServer().admin()).savedAt(), up.since());
            assertNull(up.lastSuccess(), "the save's test email tested a draft, not revision 1");
        }
    }

    @Test
    void aTemporaryFailureDegradesWithinOneNotificationAndASuccessBringsItUpAgain() {
        try (EmailConfigurationService s = service()) {
            s.save(new SandboxMailServer().admin(), Drafts.password(smtp.port(), "NONE", "health-pw"));
            smtp.reply(Stage.MAIL, "451 4.3.0 Mail server temporarily rejected message");
            assertThrows(DeliveryFailedException.class, () -> s.notifications().send(reset("ann")));

            EmailHealth degraded = health(s);
            assertEquals(Status.DEGRADED, degraded.status());
            EmailHealth.Concern failing = degraded.concerns().get(0);
            assertEquals(Code.DELIVERY_FAILING, failing.code());
            assertEquals(1, degraded.consecutiveFailures());
            assertEquals(Reason.SERVER_TEMPORARY_FAILURE, degraded.lastFailure().failure().orElseThrow().reason());
            assertEquals(degraded.lastFailure().at(), degraded.since());
            assertTrue(failing.text().in(Locale.ENGLISH).contains("SERVER_TEMPORARY_FAILURE at mail"),
                    failing.text().in(Locale.ENGLISH));
            assertFalse(failing.text().in(Locale.GERMAN).equals(failing.text().in(Locale.ENGLISH)));

            smtp.reply(Stage.MAIL, "250 2.1.0 Sender OK");
            s.notifications().send(reset("bob"));
            EmailHealth up = health(s);
            assertEquals(Status.UP, up.status());
            assertEquals(0, up.consecutiveFailures());
            assertNotNull(up.lastSuccess());
            assertEquals(up.lastSuccess().at(), up.since(), "up since the success after the failure");
            assertNotNull(up.lastFailure(), "the failure stays visible");
        }
    }

    @Test
    void aPermanentRefusalOfTheLoginIsDownButARefusedRecipientOnlyDegrades() {
        try (EmailConfigurationService s = service()) {
            s.save(new SandboxMailServer().admin(), Drafts.password(smtp.port(), "NONE", "health-pw"));
            smtp.refuseRecipient("ann@sandbox.test", "550 5.1.1 User unknown");
            assertThrows(DeliveryFailedException.class, () -> s.notifications().send(reset("ann")));
            assertEquals(Status.DEGRADED, health(s).status(), "the next recipient may well get it");

            smtp.reply(Stage.AUTH, "535 5.7.8 Authentication credentials invalid");
            assertThrows(DeliveryFailedException.class, () -> s.notifications().send(reset("bob")));
            EmailHealth down = health(s);
            assertEquals(Status.DOWN, down.status(), down.toString());
            assertEquals(Reason.AUTH_REJECTED, down.lastFailure().failure().orElseThrow().reason());
            assertEquals(2, down.consecutiveFailures());
        }
    }

    @Test
    void aServerCertificateExpiringWithinThirtyDaysDegradesAndIsAuditedOncePerThreshold() throws Exception {
        java.security.cert.X509Certificate certificate = (java.security.cert.X509Certificate) TestCertificates
                .trustStore().getCertificate("email-config-testkit");
        java.time.Instant expiry = certificate.getNotAfter().toInstant();
        MutableClock clock = new MutableClock();
        // The library's clock only: the handshake itself checks validity against the real time.
        clock.advance(Duration.between(clock.instant(), expiry.minus(Duration.ofDays(40))));
        List<AuditEvent> audit = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ScriptedSmtpServer tls = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore().clock(clock)
                     .trustStore(TestCertificates.trustStore()).auditListener(audit::add).maxMessagesPerConnection(1)
                     .build()) {
            s.save(new SandboxMailServer().admin(), Drafts.password(tls.port(), "STARTTLS", "health-pw"));
            s.notifications().send(reset("ann"));
            assertEquals(Status.UP, s.health().status(), "40 days left: no warning yet");
            assertEquals(expiry, s.health().lastSuccess().serverCertificateExpiry().orElseThrow());

            clock.advance(Duration.ofDays(15));
            s.notifications().send(reset("bob"));
            s.notifications().send(reset("carl"));
            EmailHealth soon = s.health();
            assertEquals(Status.DEGRADED, soon.status());
            assertEquals(Code.CERTIFICATE_EXPIRING, soon.concerns().get(0).code());
            assertTrue(soon.concerns().get(0).text().in(Locale.ENGLISH).contains("(25 days left)"),
                    soon.concerns().get(0).text().in(Locale.ENGLISH));
            assertEquals(expiry.minus(Duration.ofDays(30)), soon.since());
            List<String> shown = s.read(new SandboxMailServer().admin().withLocale(Locale.GERMAN)).warnings();
            assertTrue(shown.stream().anyMatch(w -> w.contains("noch 25 Tage")), shown.toString());

            clock.advance(Duration.ofDays(20));
            s.notifications().send(reset("dan"));
            List<AuditEvent> warnings = audit.stream().filter(e -> e.outcome() == AuditOutcome.EXPIRY_WARNING).toList();
            assertEquals(2, warnings.size(), "once at 30 days and once at 7, however many messages went out");
            assertEquals("email-config", warnings.get(0).actorId());
            assertTrue(warnings.get(1).warnings().get(0).contains("(5 days left)"), warnings.get(1).warnings().get(0));
        }
    }

    @Test
    void theWarningThresholdsAreTheHostsToSet() throws Exception {
        java.time.Instant expiry = ((java.security.cert.X509Certificate) TestCertificates.trustStore()
                .getCertificate("email-config-testkit")).getNotAfter().toInstant();
        MutableClock clock = new MutableClock();
        clock.advance(Duration.between(clock.instant(), expiry.minus(Duration.ofDays(40))));
        try (ScriptedSmtpServer tls = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore().clock(clock)
                     .trustStore(TestCertificates.trustStore()).expiryWarnings(Duration.ofDays(60)).build()) {
            s.save(new SandboxMailServer().admin(), Drafts.password(tls.port(), "STARTTLS", "health-pw"));
            s.notifications().send(reset("ann"));
            assertEquals(Status.DEGRADED, s.health().status(), "40 days left, warned from 60");
        }
        assertThrows(IllegalArgumentException.class, () -> EmailConfig.builder().expiryWarnings(Duration.ZERO));
    }

    @Test
    void aMicrosoftSecretsExpiryEnteredBesideItWarnsInHealthTheViewAndTheAuditAndABadDateIsRefused() {
        List<AuditEvent> audit = new java.util.concurrent.CopyOnWriteArrayList<>();
        String tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        String client = "00001111-aaaa-2222-bbbb-3333cccc4444";
        try (org.emailconfig.testkit.FakeMicrosoftPlatform microsoft = new org.emailconfig.testkit.FakeMicrosoftPlatform()
                .start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore().trustStore(TestCertificates.trustStore())
                     .auditListener(audit::add).build()) {
            microsoft.registerApplication(tenant, client, "Qx8Q~health.secret-value");
            org.emailconfig.api.ConfigurationDraft draft = microsoft.graphDraft(tenant, client, "Qx8Q~health.secret-value",
                    "noreply@contoso.test");
            org.emailconfig.api.InvalidConfigurationException bad = assertThrows(
                    org.emailconfig.api.InvalidConfigurationException.class, () -> s.save(new SandboxMailServer().admin(),
                            draft.toBuilder().set("clientSecretExpires", "31.12.2027").build()));
            assertEquals("clientSecretExpires", bad.violations().get(0).field());

            java.time.LocalDate expires = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(20);
            s.save(new SandboxMailServer().admin(), draft.toBuilder().set("clientSecretExpires", expires.toString()).build());
            EmailHealth h = s.health();
            assertEquals(Status.DEGRADED, h.status());
            assertEquals(Code.CREDENTIAL_EXPIRING, h.concerns().get(0).code());
            assertEquals(expires.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(), h.credentialExpiry(),
                    "valid through the day Entra shows");
            assertTrue(h.concerns().get(0).text().in(Locale.ENGLISH).contains("expires on " + expires + " (20 days left)"),
                    h.concerns().get(0).text().in(Locale.ENGLISH));
            assertTrue(s.read(new SandboxMailServer().admin()).warnings().stream().anyMatch(w -> w.contains(
                    "expires on " + expires)));
            s.notifications().send(reset("ann"));
            s.notifications().send(reset("bob"));
            assertEquals(1, audit.stream().filter(e -> e.outcome() == AuditOutcome.EXPIRY_WARNING).count(),
                    "once for the 30-day threshold");
            assertEquals(expires.toString(), s.read(new SandboxMailServer().admin()).values().get("clientSecretExpires"));
            org.emailconfig.api.DiagnosisReport check = s.verify(new SandboxMailServer().admin().withLocale(Locale.GERMAN),
                    draft.toBuilder().set("clientSecretExpires", expires.toString()).build());
            assertTrue(check.advice().stream().anyMatch(a -> a.in(Locale.GERMAN).contains("noch 20 Tage")),
                    "the check's report says it too");
        }
    }
}
