package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.emailconfig.api.Actor;
import org.emailconfig.api.AuditEvent;
import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.Notification;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.NotAllowedException;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.SaveOptions;
import org.emailconfig.api.SaveResult;
import org.emailconfig.api.TestPolicy;
import org.emailconfig.core.testing.LogCapture;
import org.emailconfig.core.testing.RecordingAudit;
import org.emailconfig.testkit.SandboxMailServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Never weaker than the admin asked for, and nothing an actor typed reaches a log line unescaped. */
class NeverWeakerTest {

    static final String NOREPLY = "noreply@sandbox.test";

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer().withMailbox(NOREPLY, "never-weaker-pw");

    private final RecordingAudit audit = new RecordingAudit();

    private ConfigurationDraft unencryptedTo(String host) {
        return mail.passwordDraft(NOREPLY).toBuilder().set(PasswordSmtpConfiguration.HOST, host)
                .set(PasswordSmtpConfiguration.ENCRYPTION, "NONE").build();
    }

    @Test
    void aPasswordOverAnUnencryptedConnectionToAnotherHostIsAFieldErrorOnEncryption() {
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().auditListener(audit).build()) {
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> s.save(mail.admin(), unencryptedTo("relay.example.com")));
            assertEquals(1, e.violations().size(), e.violations().toString());
            assertEquals(PasswordSmtpConfiguration.ENCRYPTION, e.violations().get(0).field());
            assertEquals("unencrypted_password", e.violations().get(0).code());
            assertEquals(AuditOutcome.REJECTED_INVALID, audit.last().outcome());
            assertFalse(s.read(mail.admin()).configured(), "nothing stored");
        }
    }

    @Test
    void aLoopbackRelayNeedsNoPermissionSinceThePasswordNeverLeavesTheMachine() {
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().build()) {
            SaveResult r = s.save(mail.admin(), unencryptedTo("127.0.0.1"));
            assertEquals(List.of(), r.warnings());
        }
    }

    @Test
    void whenTheApplicationAllowsItTheResultTheLogAndTheAuditCarryAWarning() {
        LogCapture.install();
        int before = LogCapture.lines().size();
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().auditListener(audit)
                .allowPasswordsOverUnencryptedConnections().build()) {
            SaveResult r = s.save(mail.admin(), unencryptedTo("relay.invalid"),
                    SaveOptions.defaults().withTestPolicy(TestPolicy.SAVE_ANYWAY));
            assertEquals(1, r.warnings().size(), r.warnings().toString());
            assertTrue(r.warnings().get(0).contains("unencrypted to relay.invalid"), r.warnings().get(0));
            AuditEvent event = audit.last();
            assertEquals(AuditOutcome.SAVED_DESPITE_FAILED_TEST, event.outcome());
            assertEquals(r.warnings(), event.warnings());
        }
        List<String> lines = LogCapture.lines().subList(before, LogCapture.lines().size());
        assertTrue(lines.stream().anyMatch(l -> l.contains("WARN") && l.contains("unencrypted to relay.invalid")),
                lines.toString());
    }

    @Test
    void aSenderWithANonAsciiLocalPartIsAFieldErrorNotABrokenMessage() {
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().build()) {
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> s.save(mail.admin(),
                    mail.passwordDraft(NOREPLY).toBuilder().set(PasswordSmtpConfiguration.SENDER_ADDRESS,
                            "nor\u00e9ply@sandbox.test").build()));
            assertEquals(PasswordSmtpConfiguration.SENDER_ADDRESS, e.violations().get(0).field());
            assertTrue(e.violations().get(0).message().contains("plain ASCII"), e.violations().get(0).message());
            assertEquals(0, mail.receivedMessages().size());
        }
    }

    @Test
    void noHeaderLineIsLongerThan998CharactersAndLongerSubjectsAreRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Notification.of(EmailAddress.of("u@sandbox.test"),
                "x".repeat(10_000), "body"));
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().build()) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
            s.notifications().send(Notification.of(EmailAddress.of("u@sandbox.test"),
                    "y".repeat(Notification.MAX_SUBJECT_LENGTH), "body"));
            s.notifications().send(Notification.of(EmailAddress.of("u@sandbox.test"),
                    "\u00fc".repeat(Notification.MAX_SUBJECT_LENGTH), "body"));
        }
        for (jakarta.mail.internet.MimeMessage m : mail.messagesTo("u@sandbox.test")) {
            java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
            m.writeTo(raw);
            for (String line : raw.toString(java.nio.charset.StandardCharsets.ISO_8859_1).split("\r\n")) {
                assertTrue(line.length() <= 998, "a line of " + line.length() + " characters");
            }
        }
    }

    @Test
    void aNonAdministratorCannotWriteFakeLinesIntoTheAuditLog() {
        LogCapture.install();
        int before = LogCapture.lines().size();
        String forged = "x\nINFO org.emailconfig.audit - SAVED by admin-1: type=smtp-password\r\u2028";
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().auditListener(audit).build()) {
            assertThrows(NotAllowedException.class, () -> s.save(Actor.user("u-7\nSAVED by admin", "u7@sandbox.test"),
                    ConfigurationDraft.builder(forged).build()));
        }
        AuditEvent event = audit.last();
        assertEquals(AuditOutcome.REFUSED_NOT_ALLOWED, event.outcome());
        for (String text : List.of(event.type(), event.actorId())) {
            assertFalse(text.contains("\n") || text.contains("\r") || text.contains("\u2028"), text);
        }
        assertTrue(event.type().startsWith("x\\nINFO"), event.type());
        List<String> lines = LogCapture.lines().subList(before, LogCapture.lines().size());
        for (String line : lines) {
            assertFalse(line.contains("\nINFO org.emailconfig.audit") || line.contains("\nSAVED by admin"), line);
        }
    }
}
