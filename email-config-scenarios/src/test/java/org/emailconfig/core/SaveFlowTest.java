package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.Actor;
import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.ConcurrentUpdateException;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.ConfigurationView;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.NotAllowedException;
import org.emailconfig.api.Notification;
import org.emailconfig.api.Reason;
import org.emailconfig.api.SaveOptions;
import org.emailconfig.api.SaveResult;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Secret;
import org.emailconfig.api.TestPolicy;
import org.emailconfig.core.testing.RecordingAudit;
import org.emailconfig.core.testing.SocketFixtures;
import org.emailconfig.testkit.SandboxMailServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.emailconfig.api.PasswordSmtpConfiguration.AUTHENTICATION;
import static org.emailconfig.api.PasswordSmtpConfiguration.HOST;
import static org.emailconfig.api.PasswordSmtpConfiguration.PASSWORD;
import static org.emailconfig.api.PasswordSmtpConfiguration.PORT;
import static org.emailconfig.api.PasswordSmtpConfiguration.SENDER_ADDRESS;
import static org.emailconfig.api.PasswordSmtpConfiguration.SENDER_NAME;
import static org.emailconfig.api.PasswordSmtpConfiguration.USERNAME;

/** The save flow against a real GreenMail server and a real file store. */
class SaveFlowTest {

    static final String NOREPLY = "noreply@sandbox.test";
    static final String NOREPLY_PASSWORD = "Tr0ub4dor&3-noreply";
    static final String ALERTS = "alerts@sandbox.test";
    static final String ALERTS_PASSWORD = "c0rrect-h0rse-alerts";

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer()
            .withMailbox(NOREPLY, NOREPLY_PASSWORD)
            .withMailbox(ALERTS, ALERTS_PASSWORD);

    @TempDir
    Path dir;

    final RecordingAudit audit = new RecordingAudit();
    EmailConfigurationService service;
    FileConfigStore store;

    @BeforeEach
    void setUp() {
        store = new FileConfigStore(dir);
        service = EmailConfig.builder().store(store).secretKeyFile(dir.resolve("key")).auditListener(audit)
                .applicationName("Hub").build();
    }

    @AfterEach
    void tearDown() {
        service.close();
    }

    @Test
    void adminSaveSendsTestEmailToAdminFromConfiguredSenderAndStoresRevisionOne() throws Exception {
        SaveResult result = service.save(mail.admin(), mail.passwordDraft(NOREPLY));

        assertEquals(1, result.revision());
        assertTrue(result.testDelivered());
        MimeMessage test = mail.awaitMessages(1).get(0);
        assertEquals(SandboxMailServer.ADMIN_ADDRESS, ((InternetAddress) test.getAllRecipients()[0]).getAddress());
        InternetAddress from = (InternetAddress) test.getFrom()[0];
        assertEquals(NOREPLY, from.getAddress());
        assertEquals("Sandbox Sender", from.getPersonal());
        assertTrue(test.getSubject().startsWith("Hub"), test.getSubject());
        assertEquals(1, store.load().orElseThrow().revision());
        assertEquals(AuditOutcome.SAVED, audit.last().outcome());
        assertTrue(audit.last().changedFields().containsAll(Set.of(HOST, PORT, USERNAME, PASSWORD)));
    }

    @Test
    void testEmailIsInTheAdminsLanguage() throws Exception {
        Actor german = mail.admin().withLocale(Locale.GERMAN);
        service.save(german, mail.passwordDraft(NOREPLY));
        assertTrue(mail.awaitMessages(1).get(0).getSubject().contains("Test der E-Mail-Konfiguration"));
    }

    @Test
    void nonAdminCanNeitherSaveNorTestNorReadAndNothingChanges() {
        service.save(mail.admin(), mail.passwordDraft(NOREPLY));
        mail.purge();
        Actor user = Actor.user("u-17", "user@sandbox.test");

        NotAllowedException save = assertThrows(NotAllowedException.class,
                () -> service.save(user, mail.passwordDraft(ALERTS)));
        assertEquals(Reason.NOT_ALLOWED, save.reason());
        assertThrows(NotAllowedException.class, () -> service.sendTestEmail(user));
        assertThrows(NotAllowedException.class, () -> service.read(user));

        assertEquals(1, store.load().orElseThrow().revision());
        assertEquals(NOREPLY, store.load().orElseThrow().settings().get(USERNAME));
        assertEquals(0, mail.receivedMessages().size());
        assertEquals(AuditOutcome.REFUSED_NOT_ALLOWED, audit.last().outcome());
        assertEquals("u-17", audit.last().actorId());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"smtp..example.com", "smtp example.com", "-smtp.example.com",
            "smtp.example.com.", "smtp_relay.example.com", "smtp.example.com/path", "smtp.ex\u00e4mple.com"})
    void aMalformedHostIsAFieldErrorOnTheHostNotAFailureToConnect(String host) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> service.save(mail.admin(), mail.passwordDraft(NOREPLY).toBuilder().set(HOST, host).build()));

        assertEquals(List.of(HOST), e.violations().stream().map(v -> v.field()).toList(), host + ": " + e.getMessage());
        assertTrue(e.violationsOf(HOST).get(0).message().startsWith("a host is a name such as"),
                e.violationsOf(HOST).get(0).message());
        assertTrue(store.load().isEmpty());
        assertEquals(0, mail.receivedMessages().size());
    }

    @Test
    void withAuthenticationOffTheHiddenUsernameAndPasswordAreNotRequired() {
        ConfigurationDraft noAuth = ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                .set(SENDER_ADDRESS, NOREPLY).set(HOST, SandboxMailServer.HOST).set(PORT, Integer.toString(mail.smtpPort()))
                .set(PasswordSmtpConfiguration.ENCRYPTION, "NONE").set(AUTHENTICATION, "false").build();
        try (EmailConfigurationService open = EmailConfig.builder().inMemoryStore().build()) {
            assertEquals(1, open.save(mail.admin(), noAuth).revision());
        }
    }

    @Test
    void everyProblemOfADraftIsReportedWithItsFieldAndNothingIsStoredOrSent() {
        ConfigurationDraft bad = mail.passwordDraft(NOREPLY).toBuilder()
                .set(HOST, "  ")
                .set(PORT, "0")
                .set(SENDER_ADDRESS, "no-at-sign.example.com")
                .set(SENDER_NAME, "Hub\r\nBcc: victim@example.com")
                .set(AUTHENTICATION, "true")
                .secret(PASSWORD, Secret.keep())
                .build();

        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> service.save(mail.admin(), bad));

        // In the order the form shows the fields, so a page can list them top to bottom.
        assertEquals(List.of(SENDER_ADDRESS, SENDER_NAME, HOST, PORT, PASSWORD),
                e.violations().stream().map(v -> v.field()).toList(), e.getMessage());
        assertEquals("required", e.violationsOf(HOST).get(0).code());
        assertEquals("out_of_range", e.violationsOf(PORT).get(0).code());
        assertEquals("required", e.violationsOf(PASSWORD).get(0).code());
        assertTrue(store.load().isEmpty());
        assertEquals(0, mail.receivedMessages().size());
        assertEquals(AuditOutcome.REJECTED_INVALID, audit.last().outcome());
    }

    @Test
    void portAboveRangeAndHeaderInjectionInSenderAreRejectedWithoutAnyConnection() throws Exception {
        try (SocketFixtures.SilentServer server = new SocketFixtures.SilentServer()) {
            ConfigurationDraft tooHigh = mail.passwordDraft(NOREPLY).toBuilder().set(PORT, "70000").build();
            ConfigurationDraft injected = mail.passwordDraft(NOREPLY).toBuilder()
                    .set(PORT, Integer.toString(server.port()))
                    .set(SENDER_ADDRESS, "noreply@sandbox.test\r\nBcc: victim@example.com").build();

            InvalidConfigurationException port = assertThrows(InvalidConfigurationException.class,
                    () -> service.save(mail.admin(), tooHigh));
            InvalidConfigurationException sender = assertThrows(InvalidConfigurationException.class,
                    () -> service.save(mail.admin(), injected));

            assertEquals("out_of_range", port.violationsOf(PORT).get(0).code());
            assertEquals(List.of(SENDER_ADDRESS), sender.violations().stream().map(v -> v.field()).toList());
            assertTrue(sender.violations().get(0).message().contains("line breaks"));
            assertEquals(0, server.connections(), "no connection may be attempted for an invalid draft");
            assertTrue(store.load().isEmpty());
        }
    }

    @Test
    void authenticationOffCarriesNoCredentialsAndSends() throws Exception {
        ConfigurationDraft noAuth = ConfigurationDraft.builder("smtp-password")
                .set(SENDER_ADDRESS, NOREPLY).set(HOST, SandboxMailServer.HOST)
                .set(PORT, Integer.toString(mail.smtpPort())).set("encryption", "NONE")
                .set(AUTHENTICATION, "false").set(USERNAME, "ignored").build();

        service.save(mail.admin(), noAuth);

        assertEquals(1, mail.awaitMessages(1).size());
        assertFalse(store.load().orElseThrow().settings().containsKey(USERNAME));
        assertTrue(store.load().orElseThrow().sealedSecrets().isEmpty());
    }

    @Test
    void wrongPasswordFailsWithAuthReasonAndPreviousConfigurationStaysInForce() throws Exception {
        service.save(mail.admin(), mail.passwordDraft(NOREPLY));
        ConfigurationDraft wrong = mail.passwordDraft(ALERTS).toBuilder()
                .secret(PASSWORD, Secret.of("not-the-password")).build();

        DeliveryFailedException e = assertThrows(DeliveryFailedException.class,
                () -> service.save(mail.admin(), wrong));

        assertEquals(Reason.AUTH_REJECTED, e.reason());
        assertTrue(e.hint().contains("username and password"), e.hint());
        assertTrue(e.serverReply().orElseThrow().startsWith("535"), e.serverReply().orElseThrow());
        assertEquals(1, store.load().orElseThrow().revision());
        assertEquals(NOREPLY, service.read(mail.admin()).values().get(USERNAME));
        assertEquals(AuditOutcome.REJECTED_TEST_FAILED, audit.last().outcome());
        assertEquals(Reason.AUTH_REJECTED, audit.last().reason());

        mail.purge();
        service.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link"));
        MimeMessage sent = mail.awaitMessages(1).get(0);
        assertEquals(NOREPLY, ((InternetAddress) sent.getFrom()[0]).getAddress());
    }

    @Test
    void saveAnywayStoresDespiteAFailedTestAndRecordsIt() {
        ConfigurationDraft wrong = mail.passwordDraft(ALERTS).toBuilder()
                .secret(PASSWORD, Secret.of("not-the-password")).build();

        SaveResult result = service.save(mail.admin(), wrong, SaveOptions.defaults().withTestPolicy(TestPolicy.SAVE_ANYWAY));

        assertEquals(1, result.revision());
        assertEquals(Reason.AUTH_REJECTED, result.testFailureIfAny().orElseThrow().reason());
        assertEquals(ALERTS, store.load().orElseThrow().settings().get(USERNAME));
        assertEquals(AuditOutcome.SAVED_DESPITE_FAILED_TEST, audit.last().outcome());
    }

    @Test
    void saveThenTestStoresFirstAndReportsTheTestOutcome() {
        SaveResult ok = service.save(mail.admin(), mail.passwordDraft(NOREPLY),
                SaveOptions.defaults().withTestPolicy(TestPolicy.SAVE_THEN_TEST));
        assertTrue(ok.testDelivered());
        assertEquals(1, mail.awaitMessages(1).size());

        ConfigurationDraft wrong = mail.passwordDraft(ALERTS).toBuilder()
                .secret(PASSWORD, Secret.of("not-the-password")).build();
        SaveResult failed = service.save(mail.admin(), wrong, SaveOptions.defaults().withTestPolicy(TestPolicy.SAVE_THEN_TEST));
        assertEquals(2, failed.revision());
        assertFalse(failed.testDelivered());
        assertEquals(AuditOutcome.SAVED_DESPITE_FAILED_TEST, audit.last().outcome());
    }

    @Test
    void blankPasswordOnEditKeepsTheStoredOne() throws Exception {
        service.save(mail.admin(), mail.passwordDraft(NOREPLY));
        ConfigurationDraft rename = mail.passwordDraft(NOREPLY).toBuilder()
                .set(SENDER_NAME, "Hub Alerts").secret(PASSWORD, Secret.fromForm("")).build();

        service.save(mail.admin(), rename);

        assertEquals(2, store.load().orElseThrow().revision());
        MimeMessage second = mail.awaitMessages(2).get(1);
        assertEquals("Hub Alerts", ((InternetAddress) second.getFrom()[0]).getPersonal());
        assertEquals(Set.of(SENDER_NAME), audit.last().changedFields());
    }

    @Test
    void changingHostPortOrUsernameWithBlankPasswordIsRefused() {
        service.save(mail.admin(), mail.passwordDraft(NOREPLY));
        for (Map.Entry<String, String> change : Map.of(HOST, "localhost", PORT, Integer.toString(mail.smtpsPort()),
                USERNAME, ALERTS, "encryption", "STARTTLS").entrySet()) {
            ConfigurationDraft edited = mail.passwordDraft(NOREPLY).toBuilder()
                    .set(change.getKey(), change.getValue()).secret(PASSWORD, Secret.keep()).build();

            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> service.save(mail.admin(), edited), change.getKey());

            assertEquals("reenter_secret", e.violationsOf(PASSWORD).get(0).code(), change.getKey());
            assertTrue(e.violationsOf(PASSWORD).get(0).message().contains(change.getKey()));
        }
        assertEquals(1, store.load().orElseThrow().revision());
        assertEquals(1, mail.receivedMessages().size(), "only the first save's test email");
    }

    @Test
    void notificationsUseTheConfigurationSavedAMomentAgoWithoutRestart() throws Exception {
        service.save(mail.admin(), mail.passwordDraft(NOREPLY));
        service.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset 1", "Link 1"));
        // The new configuration also names another server (a relay in front of the same mailbox), so reusing
        // the connection opened for the old one is noticed, not only a stale From.
        try (org.emailconfig.testkit.CountingRelay relay = new org.emailconfig.testkit.CountingRelay(mail.smtpPort())) {
            service.save(mail.admin(), mail.passwordDraft(ALERTS).toBuilder()
                    .set(PORT, Integer.toString(relay.port())).build());
            assertEquals(1, relay.connections(), "the test email went through the new server");
            service.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset 2", "Link 2")
                    .withHtml("<p>Link 2</p>"));
            assertEquals(2, relay.connections(), "the notification went through the new server too");
        }

        List<MimeMessage> toUser = mail.messagesTo("user@sandbox.test");
        assertEquals(2, toUser.size());
        assertEquals(NOREPLY, ((InternetAddress) toUser.get(0).getFrom()[0]).getAddress());
        assertEquals(ALERTS, ((InternetAddress) toUser.get(1).getFrom()[0]).getAddress());
        assertEquals("Reset 2", toUser.get(1).getSubject());
        // Text and HTML both go out, as alternatives; every message is dated and carries a Message-ID.
        jakarta.mail.internet.MimeMultipart parts = (jakarta.mail.internet.MimeMultipart) toUser.get(1).getContent();
        assertTrue(toUser.get(1).getContentType().startsWith("multipart/alternative"), toUser.get(1).getContentType());
        assertEquals(2, parts.getCount());
        assertTrue(String.valueOf(parts.getBodyPart(0).getContent()).contains("Link 2"));
        assertTrue(String.valueOf(parts.getBodyPart(1).getContent()).contains("<p>Link 2</p>"));
        for (MimeMessage m : mail.receivedMessages()) {
            assertTrue(m.getSentDate() != null && m.getMessageID() != null, m.getSubject());
        }
    }

    @Test
    void sendingBeforeAnythingIsConfiguredSaysSo() {
        EmailConfigException e = assertThrows(EmailConfigException.class, () -> service.notifications()
                .send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link")));
        assertEquals(Reason.NOT_CONFIGURED, e.reason());
    }

    @Test
    void readShowsFieldsButNeverASecret() {
        ConfigurationView empty = service.read(mail.admin());
        assertFalse(empty.configured());
        assertEquals("smtp-password", empty.types().get(0).type());

        service.save(mail.admin(), mail.passwordDraft(NOREPLY));
        ConfigurationView view = service.read(mail.admin());

        assertEquals("smtp-password", view.type());
        assertEquals(1, view.revision());
        assertEquals(Set.of(PASSWORD), view.storedSecrets());
        assertNull(view.values().get(PASSWORD));
        assertFalse(view.toString().contains(NOREPLY_PASSWORD));
        assertEquals("sandbox-admin", view.savedBy());
        assertEquals("Passwort", view.types().get(0).fields().stream().filter(f -> f.name().equals(PASSWORD))
                .findFirst().orElseThrow().label(Locale.GERMAN));
    }

    @Test
    void aFormLoadedAtAnOldRevisionCannotOverwriteANewerSave() {
        long loaded = service.read(mail.admin()).revision();
        service.save(mail.admin(), mail.passwordDraft(NOREPLY));

        ConcurrentUpdateException e = assertThrows(ConcurrentUpdateException.class, () -> service.save(mail.admin(),
                mail.passwordDraft(ALERTS), SaveOptions.defaults().withExpectedRevision(loaded)));

        assertEquals(1, e.actualRevision());
        assertEquals(NOREPLY, store.load().orElseThrow().settings().get(USERNAME));
        assertEquals(AuditOutcome.REJECTED_CONFLICT, audit.last().outcome());
    }

    @Test
    void standaloneTestEmailGoesToTheActingAdmin() throws Exception {
        service.save(mail.admin(), mail.passwordDraft(NOREPLY));
        Actor other = Actor.admin("a-2", "second.admin@sandbox.test");

        service.sendTestEmail(other);

        assertEquals(1, mail.messagesTo("second.admin@sandbox.test").size());
        assertEquals(AuditOutcome.TEST_DELIVERED, audit.last().outcome());
    }

    @Test
    void unknownTypeIsAFieldError() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> service.save(mail.admin(), ConfigurationDraft.builder("carrier-pigeon").build()));
        assertEquals("unknown_type", e.violationsOf("type").get(0).code());
    }
}
