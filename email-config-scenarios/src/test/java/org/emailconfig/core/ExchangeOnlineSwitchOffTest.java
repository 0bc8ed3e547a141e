package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;

import org.emailconfig.api.Actor;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DiagnosisReport;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.EmailHealth;
import org.emailconfig.api.Notification;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Reason;
import org.emailconfig.api.SaveResult;
import org.emailconfig.api.Secret;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.ScriptedSmtpServer.Stage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Microsoft switches SMTP basic authentication off for Exchange Online at the end of December 2026: a password
 * configuration for Exchange Online's hosts is warned about at save, in the check and in the form's view, and
 * the reply Exchange gives once it is off names the way on. Runs in a JVM of its own (core's pom) whose resolver
 * maps Exchange Online's names to 127.0.0.1 and resolves nothing else, so nothing here can reach Microsoft.
 */
class ExchangeOnlineSwitchOffTest {

    static final String MAILBOX = "noreply@contoso.test";

    @RegisterExtension
    final ScriptedSmtpServer exchange = ScriptedSmtpServer.plain();

    @BeforeAll
    static void onlyWhereExchangesNamesPointHere() {
        Assumptions.assumeTrue(System.getProperty("jdk.net.hosts.file") != null,
                "run through Maven: this test needs Exchange Online's host names mapped to 127.0.0.1");
    }

    private EmailConfigurationService service() {
        // Unencrypted, so the testkit certificate (for 127.0.0.1) need not match smtp.office365.com.
        return EmailConfig.builder().inMemoryStore().allowPasswordsOverUnencryptedConnections().build();
    }

    private ConfigurationDraft draft(String host) {
        return ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                .set(PasswordSmtpConfiguration.SENDER_ADDRESS, MAILBOX)
                .set(PasswordSmtpConfiguration.HOST, host)
                .set(PasswordSmtpConfiguration.PORT, Integer.toString(exchange.port()))
                .set(PasswordSmtpConfiguration.ENCRYPTION, "NONE")
                .set(PasswordSmtpConfiguration.AUTHENTICATION, "true")
                .set(PasswordSmtpConfiguration.USERNAME, MAILBOX)
                .secret(PasswordSmtpConfiguration.PASSWORD, Secret.of("exchange-Passw0rd")).build();
    }

    private static Actor admin(Locale locale) {
        return new SandboxMailServer().admin().withLocale(locale);
    }

    @ParameterizedTest
    @ValueSource(strings = {"smtp.office365.com", "smtp-mail.outlook.com", "smtp.office365.us",
            "smtp.partner.outlook.cn"})
    void aPasswordForExchangeOnlineIsWarnedAboutAtSaveInTheViewAndInTheCheck(String host) {
        try (EmailConfigurationService s = service()) {
            SaveResult saved = s.save(admin(Locale.ENGLISH), draft(host));
            String warning = saved.warnings().stream().filter(w -> w.contains("December 2026")).findFirst()
                    .orElseThrow(() -> new AssertionError("no switch-off warning in " + saved.warnings()));
            assertTrue(warning.contains(host) && warning.contains("Microsoft OAuth 2.0 (Microsoft 365)")
                    && warning.contains("Mail.Send"), warning);

            assertEquals(List.of(warning), s.read(admin(Locale.ENGLISH)).warnings());
            String german = s.read(admin(Locale.GERMAN)).warnings().get(0);
            assertTrue(german.contains("Dezember 2026") && german.contains("Microsoft OAuth 2.0"), german);

            DiagnosisReport check = s.verify(admin(Locale.ENGLISH), draft(host));
            assertTrue(check.ok(), check.steps().toString());
            assertEquals(warning, check.advice().get(0).in(Locale.ENGLISH));
        }
    }

    @Test
    void otherHostsAndExchangeWithoutAPasswordAreNotWarnedAbout() {
        try (EmailConfigurationService s = service()) {
            assertTrue(s.save(admin(Locale.ENGLISH), draft("smtp.example.test")).warnings().stream()
                    .noneMatch(w -> w.contains("December 2026")));
            assertTrue(s.read(admin(Locale.ENGLISH)).warnings().isEmpty());
            ConfigurationDraft relay = ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                    .set(PasswordSmtpConfiguration.SENDER_ADDRESS, MAILBOX)
                    .set(PasswordSmtpConfiguration.HOST, "smtp.office365.com")
                    .set(PasswordSmtpConfiguration.PORT, Integer.toString(exchange.port()))
                    .set(PasswordSmtpConfiguration.ENCRYPTION, "NONE")
                    .set(PasswordSmtpConfiguration.AUTHENTICATION, "false").build();
            assertTrue(s.save(admin(Locale.ENGLISH), relay).warnings().isEmpty());
            assertTrue(s.read(admin(Locale.ENGLISH)).warnings().isEmpty());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
        "535 5.7.139 Authentication unsuccessful, basic authentication is disabled.",
        "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy."})
    void exchangesRefusalOncePasswordsAreOffKeepsItsReasonAndNamesTheWayOn(String reply) {
        exchange.reply(Stage.AUTH, reply);
        try (EmailConfigurationService s = service()) {
            DeliveryFailedException e = org.junit.jupiter.api.Assertions.assertThrows(DeliveryFailedException.class,
                    () -> s.save(admin(Locale.ENGLISH), draft("smtp.office365.com")));
            assertEquals(Reason.SMTP_AUTH_DISABLED, e.reason());
            assertFalse(e.temporary());
            assertTrue(e.hint().contains("Microsoft OAuth 2.0 (Microsoft 365)"), e.hint());
            assertTrue(e.hint(Locale.GERMAN).contains("Microsoft OAuth 2.0 (Microsoft 365)")
                    && e.hint(Locale.GERMAN).contains("Standardauthentifizierung"), e.hint(Locale.GERMAN));
            assertEquals(reply, e.serverReply().orElseThrow());
        }
    }

    @Test
    void healthWarnsOfTheSwitchOffWhileMailStillGoesAndIsDownOnceExchangeRefusesThePassword() {
        try (EmailConfigurationService s = service()) {
            s.save(admin(Locale.ENGLISH), draft("smtp.office365.com"));
            EmailHealth before = s.health();
            assertEquals(EmailHealth.Status.DEGRADED, before.status());
            assertEquals(EmailHealth.Code.BASIC_AUTH_SWITCH_OFF, before.concerns().get(0).code());
            assertTrue(before.concerns().get(0).text().in(Locale.GERMAN).contains("Standardauthentifizierung"));

            exchange.reply(Stage.AUTH, "535 5.7.139 Authentication unsuccessful, basic authentication is disabled.");
            org.junit.jupiter.api.Assertions.assertThrows(DeliveryFailedException.class, () -> s.notifications()
                    .send(Notification.of(EmailAddress.of("jane@contoso.test"), "Reset", "Link")));
            EmailHealth after = s.health();
            assertEquals(EmailHealth.Status.DOWN, after.status(), after.toString());
            assertEquals(EmailHealth.Code.DELIVERY_FAILING, after.concerns().get(0).code());
            assertEquals(Reason.SMTP_AUTH_DISABLED, after.lastFailure().failure().orElseThrow().reason());
            assertTrue(after.concerns().get(0).text().in(Locale.ENGLISH).contains("Microsoft OAuth 2.0 (Microsoft 365)"),
                    after.concerns().get(0).text().in(Locale.ENGLISH));
        }
    }
}
