package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Reason;
import org.emailconfig.api.Secret;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.ScriptedSmtpServer.Stage;
import org.emailconfig.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Routine faults lose no notification; permanent ones and possibly accepted messages are never sent twice. */
@Timeout(60)
class NotificationRetryTest {

    private static EmailConfigurationService service(Duration deadline) {
        return EmailConfig.builder().inMemoryStore().trustStore(TestCertificates.trustStore())
                .readTimeout(Duration.ofSeconds(1)).connectTimeout(Duration.ofSeconds(1))
                .notificationRetryDeadline(deadline).build();
    }

    private static ConfigurationDraft draft(ScriptedSmtpServer server) {
        return ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                .set(PasswordSmtpConfiguration.SENDER_ADDRESS, "noreply@sandbox.test")
                .set(PasswordSmtpConfiguration.HOST, SandboxMailServer.HOST)
                .set(PasswordSmtpConfiguration.PORT, Integer.toString(server.port()))
                .set(PasswordSmtpConfiguration.ENCRYPTION, "STARTTLS")
                .set(PasswordSmtpConfiguration.AUTHENTICATION, "true")
                .set(PasswordSmtpConfiguration.USERNAME, "noreply@sandbox.test")
                .secret(PasswordSmtpConfiguration.PASSWORD, Secret.of("retry-pw")).build();
    }

    private static void notifyUser(EmailConfigurationService s) {
        s.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link"));
    }

    private static long count(ScriptedSmtpServer server, String verb) {
        return server.commands().stream().filter(c -> c.toUpperCase().startsWith(verb)).count();
    }

    @Test
    void aTemporaryRefusalIsTriedAgainAndTheNotificationArrives() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = service(Duration.ofSeconds(20))) {
            s.save(new SandboxMailServer().admin(), draft(server));
            server.replyOnce(Stage.MAIL, "421 4.7.0 Too many connections, try again later")
                    .replyOnce(Stage.MAIL, "451 4.3.0 Temporary lookup failure");
            long mailsBefore = count(server, "MAIL");
            notifyUser(s);
            assertEquals(mailsBefore + 3, count(server, "MAIL"), "two refusals, then accepted");
            assertEquals(2, server.messages().size(), "test email and the notification, once each");
        }
    }

    @Test
    void aPermanentRefusalIsTriedExactlyOnce() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = service(Duration.ofSeconds(20))) {
            s.save(new SandboxMailServer().admin(), draft(server));
            server.refuseRecipient("user@sandbox.test", "550 5.1.1 <user@sandbox.test>: User unknown");
            long rcptBefore = count(server, "RCPT");
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> notifyUser(s));
            assertEquals(Reason.RECIPIENT_REJECTED, e.reason());
            assertEquals(1, e.attempts());
            assertEquals(rcptBefore + 1, count(server, "RCPT"));
        }
    }

    @Test
    void temporaryFailuresStopAtTheDeadlineAndTheExceptionReportsTheAttempts() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = service(Duration.ofMillis(1500))) {
            s.save(new SandboxMailServer().admin(), draft(server));
            notifyUser(s);
            // The next attempt starts on that kept-open, healthy connection: a refusal there is backed off like
            // any other, never "reconnected" at once (which would send the message one more time).
            server.reply(Stage.MAIL, "452 4.3.1 Insufficient system storage");
            long mailsBefore = count(server, "MAIL");
            long start = System.nanoTime();
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> notifyUser(s));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(Reason.SERVER_TEMPORARY_FAILURE, e.reason());
            assertTrue(e.attempts() >= 2, "attempts: " + e.attempts());
            assertEquals(e.attempts(), count(server, "MAIL") - mailsBefore, "one MAIL FROM per attempt");
            assertTrue(ms < 1500 + 2000, "took " + ms + " ms");
        }
    }

    @Test
    void aMessageTheServerMayHaveAcceptedIsNeverSentAgain() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = service(Duration.ofSeconds(20))) {
            s.save(new SandboxMailServer().admin(), draft(server));
            server.reset(Stage.END_OF_DATA);
            long dataBefore = count(server, "DATA");
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> notifyUser(s));
            assertEquals(Reason.CONNECTION_LOST, e.reason());
            assertFalse(e.temporary());
            assertTrue(e.hint().contains("not sent again"), e.hint());
            assertEquals(dataBefore + 1, count(server, "DATA"), "sent once, never again");
        }
    }

    @Test
    void aKeptOpenConnectionLostAfterTheWholeMessageIsNotReopenedToSendItAgain() {
        // Only a kept-open connection that went stale before the message may be reopened at once; one lost
        // after the terminating dot may have delivered it, so the message is not sent again on a new one.
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = service(Duration.ofSeconds(20))) {
            s.save(new SandboxMailServer().admin(), draft(server));
            notifyUser(s);
            server.reset(Stage.END_OF_DATA);
            long dataBefore = count(server, "DATA");
            int connectionsBefore = server.connections();
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> notifyUser(s));
            assertEquals(Reason.CONNECTION_LOST, e.reason());
            assertFalse(e.temporary());
            assertEquals(dataBefore + 1, count(server, "DATA"), "sent once, never again");
            assertEquals(connectionsBefore, server.connections(), "no new connection to send it again");
        }
    }

    @Test
    void aServerThatIsGoneFailsTheNotificationAfterItsAttemptsNeverSilently() {
        ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
        try (EmailConfigurationService s = service(Duration.ofMillis(600))) {
            s.save(new SandboxMailServer().admin(), draft(server));
            server.close();
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> notifyUser(s));
            assertEquals(Reason.CONNECTION_REFUSED, e.reason());
            assertTrue(e.attempts() >= 2, "a refused connection is temporary: tried again within the deadline");
        }
    }

    @Test
    void withoutADeadlineNothingIsRetried() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = service(Duration.ZERO)) {
            s.save(new SandboxMailServer().admin(), draft(server));
            server.replyOnce(Stage.MAIL, "421 4.7.0 Try again later");
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> notifyUser(s));
            assertEquals(1, e.attempts());
        }
    }
}
