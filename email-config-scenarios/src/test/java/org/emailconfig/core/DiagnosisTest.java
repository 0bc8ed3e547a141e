package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.emailconfig.api.Actor;
import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.DiagnosisReport;
import org.emailconfig.api.DiagnosisReport.Outcome;
import org.emailconfig.api.DiagnosisReport.Step;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Encryption;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.NotAllowedException;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.emailconfig.core.testing.MutableClock;
import org.emailconfig.core.testing.RecordingAudit;
import org.emailconfig.testkit.FakeMicrosoftPlatform;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.ScriptedSmtpServer.Stage;
import org.emailconfig.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * "Check connection": every step of a real dialogue against the testkit's servers, reported with what it
 * found, nothing sent and nothing stored; wrong settings named, and the right one where it can be found.
 */
@Timeout(60)
class DiagnosisTest {

    static final Actor ADMIN = Actor.admin("admin-1", "admin@sandbox.test");
    static final String PASSWORD = "diagnosis-pw";

    private final RecordingAudit audit = new RecordingAudit();

    private EmailConfigurationService service(boolean trustTestCertificate) {
        EmailConfig.Builder b = EmailConfig.builder().inMemoryStore().auditListener(audit)
                .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(3))
                .greetingTimeout(Duration.ofMillis(700));
        if (trustTestCertificate) {
            b.trustStore(TestCertificates.trustStore());
        }
        return b.build();
    }

    private static ConfigurationDraft draft(int port, Encryption encryption) {
        return ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                .set(PasswordSmtpConfiguration.SENDER_ADDRESS, "noreply@sandbox.test")
                .set(PasswordSmtpConfiguration.HOST, "127.0.0.1")
                .set(PasswordSmtpConfiguration.PORT, Integer.toString(port))
                .set(PasswordSmtpConfiguration.ENCRYPTION, encryption.name())
                .set(PasswordSmtpConfiguration.AUTHENTICATION, "true")
                .set(PasswordSmtpConfiguration.USERNAME, "noreply")
                .secret(PasswordSmtpConfiguration.PASSWORD, Secret.of(PASSWORD))
                .build();
    }

    private static List<String> ids(DiagnosisReport r) {
        return r.steps().stream().map(Step::id).toList();
    }

    private static Step only(DiagnosisReport r, Outcome outcome) {
        List<Step> found = r.steps().stream().filter(s -> s.outcome() == outcome).toList();
        assertEquals(1, found.size(), r.steps().toString());
        return found.get(0);
    }

    @Test
    void allGoodShowsEveryStepWithWhatItFoundAndSendsAndStoresNothing() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = service(true)) {
            long started = System.nanoTime();
            DiagnosisReport r = s.verify(ADMIN, draft(server.port(), Encryption.STARTTLS));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertTrue(r.ok(), r.toString());
            assertTrue(r.steps().stream().allMatch(st -> !st.duration().isNegative() && st.duration().compareTo(took) <= 0),
                    r.steps().toString());
            assertEquals(List.of(Step.RESOLVE, Step.CONNECT, Step.GREETING, Step.EHLO, Step.STARTTLS, Step.EHLO,
                    Step.AUTH_MECHANISMS, Step.AUTH), ids(r));
            assertTrue(r.steps().stream().allMatch(st -> st.outcome() == Outcome.PASSED), r.steps().toString());
            assertEquals("127.0.0.1", r.step(Step.RESOLVE).orElseThrow().facts().get("addresses"));
            assertTrue(r.step(Step.GREETING).orElseThrow().facts().get("reply").startsWith("220 scripted"));
            assertTrue(r.step(Step.EHLO).orElseThrow().facts().get("capabilities").contains("STARTTLS"));
            Step tls = r.step(Step.STARTTLS).orElseThrow();
            assertTrue(tls.facts().get("protocol").startsWith("TLSv1."), tls.facts().toString());
            assertTrue(tls.facts().get("subject").contains("email-config testkit certificate"), tls.facts().toString());
            assertEquals("2036-11-24", tls.facts().get("expires"));
            assertEquals("PLAIN LOGIN XOAUTH2", r.step(Step.AUTH_MECHANISMS).orElseThrow().facts().get("mechanisms"));
            assertEquals(List.of(), r.advice());

            assertTrue(server.commands().stream().noneMatch(c -> c.startsWith("MAIL") || c.startsWith("RCPT")),
                    server.commands().toString());
            assertEquals(List.of(), server.messages());
            assertFalse(s.read(ADMIN).configured(), "nothing stored");
            assertEquals(AuditOutcome.VERIFIED, audit.last().outcome());
            assertEquals(null, audit.last().reason(), "a passed check carries no failure reason");
            assertFalse(r.toString().contains(PASSWORD));
        }
    }

    @Test
    void aWrongPasswordFailsAtAuthAfterEverythingBeforeItPassed() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls()
                .reply(Stage.AUTH, "535 5.7.8 Authentication credentials invalid").start();
             EmailConfigurationService s = service(true)) {
            DiagnosisReport r = s.verify(ADMIN, draft(server.port(), Encryption.STARTTLS));

            assertFalse(r.ok());
            Step failed = only(r, Outcome.FAILED);
            assertEquals(Step.AUTH, failed.id());
            assertEquals("535 5.7.8 Authentication credentials invalid", failed.facts().get("reply"));
            assertEquals(Reason.AUTH_REJECTED, r.failure().reason());
            assertEquals(DeliveryStep.AUTH, r.failure().step().orElseThrow());
            assertEquals(Outcome.PASSED, r.step(Step.AUTH_MECHANISMS).orElseThrow().outcome());
            assertEquals(AuditOutcome.VERIFY_FAILED, audit.last().outcome());
            assertEquals(Reason.AUTH_REJECTED, audit.last().reason());
        }
    }

    @Test
    void aStrippedStartTlsFailsAtStartTlsAndTheCapabilitiesShowWhy() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls()
                .reply(Stage.EHLO, "250-scripted.sandbox.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME").start();
             EmailConfigurationService s = service(true)) {
            DiagnosisReport r = s.verify(ADMIN, draft(server.port(), Encryption.STARTTLS));

            assertEquals(List.of(Step.RESOLVE, Step.CONNECT, Step.GREETING, Step.EHLO, Step.STARTTLS), ids(r));
            assertEquals(Step.STARTTLS, only(r, Outcome.FAILED).id());
            assertFalse(r.step(Step.EHLO).orElseThrow().facts().get("capabilities").contains("STARTTLS"));
            assertEquals(Reason.STARTTLS_UNAVAILABLE, r.failure().reason());
            assertTrue(server.commands().stream().noneMatch(c -> c.startsWith("AUTH")), "no credentials in clear");
        }
    }

    @Test
    void startTlsChosenForAnSslPortIsNamedAfterLookingTheOtherWay() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withImplicitTls().start();
             EmailConfigurationService s = service(true)) {
            DiagnosisReport r = s.verify(ADMIN, draft(server.port(), Encryption.STARTTLS));

            assertEquals(Step.GREETING, only(r, Outcome.FAILED).id());
            assertEquals(Reason.READ_TIMEOUT, r.failure().reason());
            // What the look found replaces the guess ("a port that never greets may expect SSL/TLS"): one advice.
            assertEquals("Port " + server.port() + " speaks SSL/TLS from the first byte: choose SSL/TLS.",
                    r.failure().hint(Locale.ENGLISH));
            assertEquals("Port " + server.port() + " spricht SSL/TLS ab dem ersten Byte: W\u00e4hlen Sie SSL/TLS.",
                    r.failure().hint(Locale.GERMAN));
            assertEquals(List.of(), r.advice());
        }
    }

    @Test
    void sslChosenForAStartTlsPortIsNamedAfterLookingTheOtherWay() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = service(true)) {
            DiagnosisReport r = s.verify(ADMIN, draft(server.port(), Encryption.SSL_TLS));

            assertEquals(List.of(Step.RESOLVE, Step.CONNECT, Step.TLS), ids(r));
            assertEquals(Step.TLS, only(r, Outcome.FAILED).id());
            assertEquals(Reason.TLS_HANDSHAKE, r.failure().reason());
            // One piece of advice, from what looking found, as the failure's hint; not a second guess beside it.
            assertEquals("Port " + server.port() + " speaks plain SMTP and offers STARTTLS: choose STARTTLS.",
                    r.failure().hint(Locale.ENGLISH));
            assertEquals(List.of(), r.advice());
            assertTrue(server.commands().stream().noneMatch(c -> c.startsWith("AUTH")), "the probe sends no credentials");
        }
    }

    @Test
    void sslChosenForAPlainPortWithoutStarttlsDoesNotAlsoSayChooseStarttls() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start();
             EmailConfigurationService s = service(true)) {
            DiagnosisReport r = s.verify(ADMIN, draft(server.port(), Encryption.SSL_TLS));
            String hint = r.failure().hint(Locale.ENGLISH);
            assertTrue(hint.contains("offers no encryption"), hint);
            assertFalse(hint.contains("choose STARTTLS"), hint);
            assertTrue(r.advice().stream().noneMatch(a -> a.in(Locale.ENGLISH).contains("choose STARTTLS")),
                    r.advice().toString());
        }
    }

    @Test
    void anUntrustedCertificateFailsAtTlsAndShowsWhoIssuedIt() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withImplicitTls().start();
             EmailConfigurationService s = service(false)) {
            DiagnosisReport r = s.verify(ADMIN, draft(server.port(), Encryption.SSL_TLS));

            Step tls = only(r, Outcome.FAILED);
            assertEquals(Step.TLS, tls.id());
            assertEquals(Reason.TLS_CERTIFICATE_UNTRUSTED, r.failure().reason());
            assertTrue(tls.facts().get("issuer").contains("email-config testkit certificate"), tls.facts().toString());
            assertTrue(tls.summary().in(Locale.ENGLISH).contains("issued by CN=email-config testkit certificate"),
                    tls.summary().in(Locale.ENGLISH));
            assertTrue(server.commands().isEmpty(), "nothing was said after the refused handshake: " + server.commands());
        }
    }

    @Test
    void aCertificateThatExpiresWithinThirtyDaysIsAWarningNotAFailure() {
        MutableClock clock = new MutableClock();
        clock.advance(Duration.between(clock.instant(), Instant.parse("2036-11-10T00:00:00Z")));
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withImplicitTls().start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore().clock(clock)
                     .trustStore(TestCertificates.trustStore()).build()) {
            DiagnosisReport r = s.verify(ADMIN, draft(server.port(), Encryption.SSL_TLS));

            assertTrue(r.ok(), r.toString());
            Step tls = only(r, Outcome.WARNING);
            assertEquals(Step.TLS, tls.id());
            assertEquals("14", tls.facts().get("daysLeft"));
            assertEquals(List.of("The server's certificate expires on 2036-11-24, in 14 days: ask the mail server's "
                    + "administrator to renew it."), r.advice().stream().map(a -> a.in(Locale.ENGLISH)).toList());
        }
    }

    @Test
    void theReportReadsInGermanForAGermanAdministrator() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls()
                .reply(Stage.AUTH, "535 5.7.8 Authentication credentials invalid").start();
             EmailConfigurationService s = service(true)) {
            DiagnosisReport r = s.verify(ADMIN.withLocale(Locale.GERMANY), draft(server.port(), Encryption.STARTTLS));

            assertEquals("Die Anmeldung als noreply ist fehlgeschlagen.",
                    only(r, Outcome.FAILED).summary().in(Locale.GERMANY));
            assertEquals("Mit 127.0.0.1 auf Port " + server.port() + " verbunden.",
                    r.step(Step.CONNECT).orElseThrow().summary().in(Locale.GERMANY));
            assertEquals("Der Server hat die Anmeldung abgelehnt: Pr\u00fcfen Sie Benutzername und Passwort.",
                    r.failure().hint(Locale.GERMANY));
        }
    }

    @Test
    void theSameReportWithAuthenticationOffSkipsTheLogin() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start();
             EmailConfigurationService s = service(true)) {
            DiagnosisReport r = s.verify(ADMIN, draft(server.port(), Encryption.NONE).toBuilder()
                    .set(PasswordSmtpConfiguration.AUTHENTICATION, "false").build());

            assertTrue(r.ok(), r.toString());
            assertEquals(Outcome.SKIPPED, r.step(Step.AUTH).orElseThrow().outcome());
            assertTrue(server.commands().stream().noneMatch(c -> c.startsWith("AUTH")));
        }
    }

    @Test
    void aPasswordSentUnencryptedIsAWarningThatNamesTheStarttlsTheServerOffers() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             ScriptedSmtpServer bare = ScriptedSmtpServer.plain().start();
             EmailConfigurationService s = service(true)) {
            DiagnosisReport r = s.verify(ADMIN, draft(server.port(), Encryption.NONE));
            assertTrue(r.ok(), r.steps().toString());
            assertEquals(List.of("The password travels unencrypted to 127.0.0.1, although the server offers STARTTLS: "
                    + "choose STARTTLS."), r.advice().stream().map(a -> a.in(Locale.ENGLISH)).toList());
            DiagnosisReport noTls = s.verify(ADMIN, draft(bare.port(), Encryption.NONE));
            assertTrue(noTls.advice().get(0).in(Locale.ENGLISH).startsWith("The password travels unencrypted"),
                    noTls.advice().toString());
            assertTrue(s.verify(ADMIN, draft(bare.port(), Encryption.NONE).toBuilder()
                    .set(PasswordSmtpConfiguration.AUTHENTICATION, "false").build()).advice().isEmpty(),
                    "no password, nothing to warn about");
        }
    }

    @Test
    void fieldErrorsComeBeforeAnyConnectionAndNonAdministratorsAreRefused() {
        try (EmailConfigurationService s = service(true)) {
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> s.verify(
                    ADMIN.withLocale(Locale.GERMAN), draft(1, Encryption.STARTTLS).toBuilder()
                            .set(PasswordSmtpConfiguration.PORT, "0").build()));
            assertEquals(PasswordSmtpConfiguration.PORT, e.violations().get(0).field());
            assertTrue(e.violations().get(0).message().startsWith("Ein Port ist eine Zahl"), e.violations().toString());
            assertEquals(AuditOutcome.REJECTED_INVALID, audit.last().outcome());

            assertThrows(NotAllowedException.class, () -> s.verify(Actor.user("u-1", "u@sandbox.test"),
                    draft(1, Encryption.STARTTLS)));
        }
    }

    @Test
    void microsoftUnknownTenantFailsAtTheTokenWithTheServicesCode() {
        try (FakeMicrosoftPlatform microsoft = new FakeMicrosoftPlatform().start();
             EmailConfigurationService s = service(true)) {
            DiagnosisReport r = s.verify(ADMIN, microsoft.graphDraft("contoso.onmicrosoft.com",
                    "00001111-aaaa-2222-bbbb-3333cccc4444", "the-secret-value", "noreply@contoso.com"));

            assertEquals(List.of(Step.TOKEN), ids(r));
            Step token = only(r, Outcome.FAILED);
            assertEquals("AADSTS90002", token.facts().get("error"));
            assertEquals(Reason.OAUTH_TENANT_NOT_FOUND, r.failure().reason());
            assertFalse(r.toString().contains("the-secret-value"));
        }
    }

    @Test
    void microsoftGraphWithoutMailSendInTheTokenWarnsOfBothCausesAndSendsNothing() {
        String tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        String client = "00001111-aaaa-2222-bbbb-3333cccc4444";
        try (FakeMicrosoftPlatform microsoft = new FakeMicrosoftPlatform()
                .registerApplication(tenant, client, "s3cret-value", false, false, null).start();
             EmailConfigurationService s = service(true)) {
            DiagnosisReport r = s.verify(ADMIN, microsoft.graphDraft(tenant, client, "s3cret-value", "noreply@contoso.com"));

            // Mail.Send may be missing, or granted through RBAC for Applications (the least-privilege setup), which
            // Exchange checks per mailbox and the token never shows: a warning naming both, not a failure.
            assertEquals(List.of(Step.TOKEN, Step.PERMISSIONS, Step.GRAPH), ids(r));
            assertEquals(Step.PERMISSIONS, only(r, Outcome.WARNING).id());
            assertTrue(r.ok(), r.toString());
            String advice = r.advice().get(0).in(Locale.ENGLISH);
            assertTrue(advice.contains("Application permissions, Mail.Send"), advice);
            assertTrue(advice.contains("RBAC for Applications"), advice);
            assertTrue(advice.contains("Test-ServicePrincipalAuthorization -Identity " + client
                    + " -Resource noreply@contoso.com"), advice);
            assertTrue(r.advice().get(0).in(Locale.GERMAN).contains("RBAC f\u00fcr Anwendungen"));
            assertEquals(0, microsoft.sendRequests());
            // The token carries no roles at all: the step says so rather than listing what it has.
            assertEquals("", r.step(Step.PERMISSIONS).orElseThrow().facts().get("roles"));
            assertEquals("Mail.Send", r.step(Step.PERMISSIONS).orElseThrow().facts().get("needed"));
        }
    }

    @Test
    void microsoftWithMailSendPassesAndSaysGraphIsCheckedBySaving() {
        String tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        String client = "00001111-aaaa-2222-bbbb-3333cccc4444";
        try (FakeMicrosoftPlatform microsoft = new FakeMicrosoftPlatform().registerApplication(tenant, client,
                "s3cret-value").start(); EmailConfigurationService s = service(true)) {
            DiagnosisReport r = s.verify(ADMIN, microsoft.graphDraft(tenant, client, "s3cret-value", "noreply@contoso.com"));

            assertTrue(r.ok(), r.toString());
            assertEquals("Mail.Send", r.step(Step.PERMISSIONS).orElseThrow().facts().get("roles"));
            assertEquals(Outcome.SKIPPED, r.step(Step.GRAPH).orElseThrow().outcome());
            assertEquals(0, microsoft.sendRequests());
            assertTrue(r.step(Step.TOKEN).orElseThrow().facts().get("scope").startsWith("https://graph.microsoft.com"));

            // A second check asks the platform again rather than trusting the token it cached.
            int tokens = microsoft.tokenRequests();
            assertTrue(s.verify(ADMIN, microsoft.graphDraft(tenant, client, "s3cret-value", "noreply@contoso.com")).ok());
            assertEquals(tokens + 1, microsoft.tokenRequests());
        }
    }

    @Test
    void microsoftOverSmtpChecksTheTokenItsSmtpPermissionAndThenTheSmtpStepsWithIt() {
        String tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        String client = "00001111-aaaa-2222-bbbb-3333cccc4444";
        try (FakeMicrosoftPlatform microsoft = new FakeMicrosoftPlatform().registerApplication(tenant, client,
                "s3cret-value").start();
             org.emailconfig.testkit.ScriptedSmtpServer smtp = org.emailconfig.testkit.ScriptedSmtpServer.withImplicitTls()
                     .start();
             EmailConfigurationService s = service(true)) {
            DiagnosisReport r = s.verify(ADMIN, microsoft.graphDraft(tenant, client, "s3cret-value", "noreply@contoso.com")
                    .toBuilder().set("delivery", "SMTP_XOAUTH2").set("smtpHost", "127.0.0.1")
                    .set("smtpPort", Integer.toString(smtp.port())).set("smtpEncryption", "SSL_TLS").build());

            assertTrue(r.ok(), r.toString());
            assertTrue(r.steps().stream().allMatch(st -> !st.duration().isNegative()
                    && st.duration().compareTo(Duration.ofSeconds(30)) < 0), r.steps().toString());
            assertTrue(r.step(Step.TOKEN).orElseThrow().facts().get("scope").startsWith("https://outlook.office365.com"));
            assertEquals("SMTP.SendAsApp", r.step(Step.PERMISSIONS).orElseThrow().facts().get("roles"));
            assertEquals(Outcome.PASSED, r.step(Step.AUTH).orElseThrow().outcome());
            assertTrue(smtp.commands().stream().anyMatch(c -> c.startsWith("AUTH XOAUTH2")), smtp.commands().toString());
            assertTrue(smtp.messages().isEmpty(), "a check sends nothing");
        }
    }
}
