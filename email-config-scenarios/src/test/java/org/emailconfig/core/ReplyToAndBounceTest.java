package org.emailconfig.core;

import static org.emailconfig.api.PasswordSmtpConfiguration.AUTHENTICATION;
import static org.emailconfig.api.PasswordSmtpConfiguration.ENCRYPTION;
import static org.emailconfig.api.PasswordSmtpConfiguration.ENVELOPE_FROM;
import static org.emailconfig.api.PasswordSmtpConfiguration.HOST;
import static org.emailconfig.api.PasswordSmtpConfiguration.PORT;
import static org.emailconfig.api.PasswordSmtpConfiguration.REPLY_TO_ADDRESS;
import static org.emailconfig.api.PasswordSmtpConfiguration.REPLY_TO_NAME;
import static org.emailconfig.api.PasswordSmtpConfiguration.SENDER_ADDRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.mail.internet.InternetAddress;

import org.emailconfig.api.Actor;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.Notification;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.testkit.FakeMicrosoftPlatform;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.TestCertificates;
import org.junit.jupiter.api.Test;

/** Reply-To and a bounce address, as hosts ask for and Keycloak offers, validated like the sender. */
class ReplyToAndBounceTest {

    static final Actor ADMIN = Actor.admin("admin-1", "admin@sandbox.test");

    private static ConfigurationDraft.Builder draft(ScriptedSmtpServer server) {
        return ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE).set(SENDER_ADDRESS, "noreply@sandbox.test")
                .set(HOST, "127.0.0.1").set(PORT, Integer.toString(server.port())).set(ENCRYPTION, "NONE")
                .set(AUTHENTICATION, "false");
    }

    @Test
    void repliesGoToTheReplyToAndBouncesToTheEnvelopeSenderForTheTestEmailAndNotifications() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore().build()) {
            s.save(ADMIN, draft(server).set(REPLY_TO_ADDRESS, "support@sandbox.test").set(REPLY_TO_NAME, "Hub Support")
                    .set(ENVELOPE_FROM, "bounces@sandbox.test").build());
            s.notifications().send(Notification.of(EmailAddress.of("jane@sandbox.test"), "Reset", "Link"));

            List<String> mailFrom = server.commands().stream().filter(c -> c.startsWith("MAIL FROM")).toList();
            assertEquals(2, mailFrom.size(), "the test email and the notification");
            assertTrue(mailFrom.stream().allMatch(c -> c.startsWith("MAIL FROM:<bounces@sandbox.test>")), mailFrom.toString());
            for (String message : server.messages()) {
                assertTrue(message.contains("Reply-To: Hub Support <support@sandbox.test>"), message);
                assertTrue(message.contains("From: noreply@sandbox.test"), message);
            }
            Map<String, String> values = s.read(ADMIN).values();
            assertEquals("support@sandbox.test", values.get(REPLY_TO_ADDRESS));
            assertEquals("bounces@sandbox.test", values.get(ENVELOPE_FROM));
        }
    }

    @Test
    void theyAreCheckedLikeTheSender() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore().build()) {
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> s.save(
                    ADMIN.withLocale(Locale.GERMAN), draft(server).set(REPLY_TO_NAME, "Hub\r\nBcc: victim@example.com")
                            .set(ENVELOPE_FROM, "bounces at sandbox").build()));
            assertEquals("invalid", e.violationsOf(REPLY_TO_NAME).get(0).code());
            assertEquals("invalid", e.violationsOf(ENVELOPE_FROM).get(0).code());
            assertTrue(e.violationsOf(ENVELOPE_FROM).get(0).message().startsWith("Eine E-Mail-Adresse"),
                    e.violations().toString());

            InvalidConfigurationException nameOnly = assertThrows(InvalidConfigurationException.class,
                    () -> s.save(ADMIN, draft(server).set(REPLY_TO_NAME, "Hub Support").build()));
            assertEquals("required", nameOnly.violationsOf(REPLY_TO_ADDRESS).get(0).code());
            assertEquals(List.of(), server.messages(), "nothing sent");
        }
    }

    @Test
    void graphCarriesTheReplyToAndLeavesTheEnvelopeToMicrosoft() throws Exception {
        String tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        String client = "00001111-aaaa-2222-bbbb-3333cccc4444";
        try (FakeMicrosoftPlatform microsoft = new FakeMicrosoftPlatform().registerApplication(tenant, client, "s3cret")
                .start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore()
                     .trustStore(TestCertificates.trustStore()).build()) {
            s.save(ADMIN, microsoft.graphDraft(tenant, client, "s3cret", "noreply@contoso.test").toBuilder()
                    .set(MicrosoftOAuthConfiguration.REPLY_TO_ADDRESS, "support@contoso.test")
                    .set(MicrosoftOAuthConfiguration.REPLY_TO_NAME, "Support").build());
            InternetAddress replyTo = (InternetAddress) microsoft.sentMessages().get(0).getReplyTo()[0];
            assertEquals("support@contoso.test", replyTo.getAddress());
            assertEquals("Support", replyTo.getPersonal());
            assertTrue(s.authenticationTypes(Locale.ENGLISH).stream().filter(t -> t.type().equals("microsoft-oauth2"))
                    .flatMap(t -> t.fields().stream()).noneMatch(f -> f.name().equals("envelopeFrom")));
        }
    }
}
