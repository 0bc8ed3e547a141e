package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.emailconfig.api.Actor;
import org.emailconfig.api.AuditEvent;
import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.ConcurrentUpdateException;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.NotAllowedException;
import org.emailconfig.api.Reason;
import org.emailconfig.core.testing.ControllableStore;
import org.emailconfig.core.testing.RecordingAudit;
import org.emailconfig.testkit.SandboxMailServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every way an administrator's action can end leaves exactly one audit event that says how: refused, stored,
 * lost to another node, failed in the store, resealed. An auditor reads these, not our logs.
 */
class AuditTrailTest {

    static final String NOREPLY = "noreply@sandbox.test";
    static final Actor VIEWER = Actor.user("viewer-7", "viewer@sandbox.test");

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer().withMailbox(NOREPLY, "audit-pw-1");

    private final RecordingAudit audit = new RecordingAudit();
    private final ControllableStore store = new ControllableStore(new InMemoryConfigStore(), false);

    private EmailConfigurationService service() {
        return EmailConfig.builder().store(store).secretKey(new byte[] {
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
                28, 29, 30, 31, 32}).auditListener(audit).build();
    }

    private AuditEvent onlyNewEvent(int before) {
        List<AuditEvent> events = audit.events();
        assertEquals(before + 1, events.size(), events.toString());
        return events.get(before);
    }

    @Test
    void aSaveWhoseTestPassedIsAuditedAsSavedWithWhatChanged() {
        try (EmailConfigurationService s = service()) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
            AuditEvent event = onlyNewEvent(0);
            assertEquals(AuditOutcome.SAVED, event.outcome());
            assertEquals(1, event.revision());
            assertEquals(null, event.reason());
            assertTrue(event.changedFields().contains("host"), event.toString());
        }
    }

    @Test
    void savingAnywayOrBeforeTheTestIsAuditedByHowTheTestWent() {
        try (EmailConfigurationService s = service()) {
            for (org.emailconfig.api.TestPolicy policy : List.of(org.emailconfig.api.TestPolicy.SAVE_ANYWAY,
                    org.emailconfig.api.TestPolicy.SAVE_THEN_TEST)) {
                s.save(mail.admin(), mail.passwordDraft(NOREPLY),
                        org.emailconfig.api.SaveOptions.defaults().withTestPolicy(policy));
                assertEquals(AuditOutcome.SAVED, audit.last().outcome(), policy.name());
                s.save(mail.admin(), mail.passwordDraft(NOREPLY).toBuilder().set("port", "1").build(),
                        org.emailconfig.api.SaveOptions.defaults().withTestPolicy(policy));
                assertEquals(AuditOutcome.SAVED_DESPITE_FAILED_TEST, audit.last().outcome(), policy.name());
                assertEquals(Reason.CONNECTION_REFUSED, audit.last().reason(), policy.name());
            }
        }
    }

    @Test
    void anUnknownTypeIsRejectedAsInvalidAndAudited() {
        try (EmailConfigurationService s = service()) {
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> s.save(mail.admin(), ConfigurationDraft.builder("no-such-type").build()));
            assertEquals("unknown_type", e.violationsOf("type").get(0).code());
            AuditEvent event = onlyNewEvent(0);
            assertEquals(AuditOutcome.REJECTED_INVALID, event.outcome());
            assertEquals("no-such-type", event.type());
        }
    }

    @Test
    void aStoreThatFailsOnSaveIsAuditedAsAStoreFailureAndNothingChanges() {
        try (EmailConfigurationService s = service()) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
            int before = audit.events().size();
            store.failAsOutage();
            EmailConfigException e = assertThrows(EmailConfigException.class,
                    () -> s.save(mail.admin(), mail.passwordDraft(NOREPLY).toBuilder().set("senderName", "New").build()));
            assertEquals(Reason.STORE_FAILURE, e.reason());
            AuditEvent event = onlyNewEvent(before);
            assertEquals(AuditOutcome.REJECTED_STORE_FAILURE, event.outcome());
            assertEquals(Reason.STORE_FAILURE, event.reason());
            store.recover();
            assertEquals(1, s.read(mail.admin()).revision());
        }
    }

    @Test
    void losingToAnotherNodeIsAuditedAsAConflictAndTheWinnerIsInForceAtOnce() throws Exception {
        try (EmailConfigurationService first = service(); EmailConfigurationService second = service()) {
            first.save(mail.admin(), mail.passwordDraft(NOREPLY));
            second.read(mail.admin());
            first.save(mail.admin(), mail.passwordDraft(NOREPLY).toBuilder().set("senderName", "Winner").build());
            int before = audit.events().size();
            ConcurrentUpdateException e = assertThrows(ConcurrentUpdateException.class, () -> second.save(mail.admin(),
                    mail.passwordDraft(NOREPLY).toBuilder().set("senderName", "Loser").build(),
                    org.emailconfig.api.SaveOptions.defaults().withExpectedRevision(1)));
            assertEquals(2, e.actualRevision());
            AuditEvent event = onlyNewEvent(before);
            assertEquals(AuditOutcome.REJECTED_CONFLICT, event.outcome());
            assertEquals(2, event.revision());
            second.notifications().send(org.emailconfig.api.Notification.of(
                    org.emailconfig.api.EmailAddress.of("user@sandbox.test"), "Reset", "Link"));
            jakarta.mail.internet.MimeMessage sent = mail.messagesTo("user@sandbox.test").get(0);
            assertEquals("Winner", ((jakarta.mail.internet.InternetAddress) sent.getFrom()[0]).getPersonal());
        }
    }

    @Test
    void onlyAnAdministratorMayResealAndEveryRefusalToResealIsAudited() {
        try (EmailConfigurationService s = service()) {
            assertThrows(NotAllowedException.class, () -> s.resealSecrets(VIEWER));
            assertEquals(AuditOutcome.REFUSED_NOT_ALLOWED, audit.last().outcome());

            EmailConfigException none = assertThrows(EmailConfigException.class, () -> s.resealSecrets(mail.admin()));
            assertEquals(Reason.NOT_CONFIGURED, none.reason());
            assertEquals(AuditOutcome.REJECTED_STORE_FAILURE, audit.last().outcome());

            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
            store.failAsOutage();
            int before = audit.events().size();
            assertThrows(EmailConfigException.class, () -> s.resealSecrets(mail.admin()));
            assertEquals(AuditOutcome.REJECTED_STORE_FAILURE, onlyNewEvent(before).outcome());
        }
    }

    @Test
    void aTestEmailOnRequestIsAuditedWhetherItArrivesOrNot() {
        try (EmailConfigurationService s = service()) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
            int before = audit.events().size();
            s.sendTestEmail(mail.admin());
            assertEquals(AuditOutcome.TEST_DELIVERED, onlyNewEvent(before).outcome());
            assertEquals(2, mail.awaitMessages(2).size());

            mail.close();
            assertThrows(EmailConfigException.class, () -> s.sendTestEmail(mail.admin()));
            AuditEvent failed = onlyNewEvent(before + 1);
            assertEquals(AuditOutcome.TEST_FAILED, failed.outcome());
            assertEquals(Reason.CONNECTION_REFUSED, failed.reason());

            assertThrows(NotAllowedException.class, () -> s.sendTestEmail(VIEWER));
            assertEquals(AuditOutcome.REFUSED_NOT_ALLOWED, audit.last().outcome());
        }
    }
}
