package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.Reason;
import org.emailconfig.core.testing.Drafts;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.ScriptedSmtpServer.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every recipient of a notification gets it exactly once: a server's recipient limit splits it into several
 * transactions (RFC 5321 section 4.5.3.1.10), a recipient refused for good costs the others nothing, and the
 * host can tell who got it.
 */
class RecipientsTest {

    static final String A = "a@sandbox.test";
    static final String B = "b@sandbox.test";
    static final String C = "c@sandbox.test";

    @RegisterExtension
    final ScriptedSmtpServer smtp = ScriptedSmtpServer.plain();

    private EmailConfigurationService saved() {
        EmailConfigurationService s = EmailConfig.builder().inMemoryStore().allowPasswordsOverUnencryptedConnections()
                .notificationRetryDeadline(Duration.ofSeconds(10)).build();
        s.save(new SandboxMailServer().admin(), Drafts.password(smtp.port(), "NONE", "recipients-pw"));
        return s;
    }

    private static Notification to(String... addresses) {
        return new Notification(java.util.Arrays.stream(addresses).map(EmailAddress::of).toList(), "Reset", "Link", null);
    }

    /** What the server accepted after the save's test email. */
    private List<List<String>> notificationEnvelopes() {
        List<List<String>> all = smtp.envelopes();
        return all.subList(1, all.size());
    }

    @Test
    void aRecipientLimitOfOneDeliversToEachRecipientOnceInItsOwnTransaction() {
        try (EmailConfigurationService s = saved()) {
            smtp.recipientLimit(1);
            s.notifications().send(to(A, B, C));
            assertEquals(List.of(List.of(A), List.of(B), List.of(C)), notificationEnvelopes());
        }
    }

    @Test
    void aRecipientRefusedForGoodIsReportedWhileTheOthersGetTheMessage() {
        try (EmailConfigurationService s = saved()) {
            smtp.recipientLimit(2).refuseRecipient(B, "550 5.1.1 <b@sandbox.test>: Recipient address rejected: User unknown");
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class,
                    () -> s.notifications().send(to(A, B, C)));
            assertEquals(List.of(List.of(A, C)), notificationEnvelopes());
            assertEquals(Reason.RECIPIENT_REJECTED, e.reason());
            assertFalse(e.temporary());
            assertEquals(1, e.attempts(), "a refusal for good is not tried again");
            assertEquals(List.of(A, C), e.deliveredRecipients());
            assertEquals(1, e.refusedRecipients().size());
            assertTrue(e.refusedRecipients().get(0).startsWith(B + ": 550 5.1.1"), e.refusedRecipients().toString());
        }
    }

    @Test
    void aRecipientRefusedForNowGetsItInANewTransactionOnTheSameConnection() {
        try (EmailConfigurationService s = saved()) {
            smtp.replyOnce(Stage.RCPT, "451 4.3.0 <a@sandbox.test>: Temporary lookup failure");
            int connections = smtp.connections();
            s.notifications().send(to(A, B));
            assertEquals(List.of(List.of(B), List.of(A)), notificationEnvelopes());
            assertEquals(connections + 1, smtp.connections());
        }
    }

    @Test
    void aRetryAfterSomeRecipientsGotItGoesToTheOthersOnly() {
        try (EmailConfigurationService s = saved()) {
            // A gets it in the first transaction; B's own transaction is refused for now, then B's retry works.
            smtp.recipientLimit(1).replyOnce(Stage.RCPT, "250 2.1.5 OK")
                    .replyOnce(Stage.RCPT, "451 4.3.0 <b@sandbox.test>: Temporary lookup failure");
            s.notifications().send(to(A, B));
            assertEquals(List.of(List.of(A), List.of(B)), notificationEnvelopes());
        }
    }

    @Test
    void everyRecipientRefusedForGoodSendsNothingAndSaysNobodyGotIt() {
        try (EmailConfigurationService s = saved()) {
            smtp.refuseRecipient(A, "550 5.1.1 User unknown").refuseRecipient(B, "550 5.1.1 User unknown");
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class,
                    () -> s.notifications().send(to(A, B)));
            assertEquals(List.of(), notificationEnvelopes());
            assertEquals(Reason.RECIPIENT_REJECTED, e.reason());
            assertEquals(List.of(), e.deliveredRecipients());
            assertEquals(2, e.refusedRecipients().size(), e.refusedRecipients().toString());
        }
    }

    @Test
    void aRefusalFromFiveHundredUpIsForGoodAndOneBelowGetsItLaterWhileTheAcceptedHaveItAtOnce() {
        try (EmailConfigurationService s = saved()) {
            // 500 is the lowest permanent reply: A is refused for good; B's 452 is for now and goes again.
            smtp.refuseRecipient(A, "500 5.5.2 <a@sandbox.test>: Syntax error")
                    .replyOnce(Stage.RCPT, "452 4.3.1 Insufficient system storage");
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class,
                    () -> s.notifications().send(to(A, B, C)));
            assertEquals(List.of(List.of(C), List.of(B)), notificationEnvelopes());
            assertEquals(Reason.RECIPIENT_REJECTED, e.reason());
            assertEquals(List.of(C, B), e.deliveredRecipients());
            assertEquals(List.of(A + ": 500 5.5.2 <a@sandbox.test>: Syntax error"), e.refusedRecipients());
        }
    }
}
