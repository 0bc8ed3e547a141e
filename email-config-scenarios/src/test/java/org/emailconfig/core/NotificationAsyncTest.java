package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

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
import org.junit.jupiter.api.extension.RegisterExtension;

/** sendAsync: a bounded queue that says so when full, failures in the future, and close() that drains. */
@Timeout(60)
class NotificationAsyncTest {

    static final String NOREPLY = "noreply@sandbox.test";

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer().withMailbox(NOREPLY, "async-pw");

    private static Notification to(String address) {
        return Notification.of(EmailAddress.of(address), "Reset", "Link");
    }

    @Test
    void anAsynchronousNotificationArrivesAndItsFutureCompletes() throws Exception {
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().build()) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
            s.notifications().sendAsync(to("jane@sandbox.test")).get(10, TimeUnit.SECONDS);
            assertEquals(1, mail.messagesTo("jane@sandbox.test").size());
            // The sending threads never keep a host's JVM alive when it forgets to close the service.
            java.util.List<Thread> senders = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("email-config-notify-")).toList();
            assertFalse(senders.isEmpty());
            assertTrue(senders.stream().allMatch(Thread::isDaemon), senders.toString());
        }
    }

    @Test
    void aFailureCompletesTheFutureExceptionallyWithTheClassifiedFailure() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore()
                     .trustStore(TestCertificates.trustStore()).build()) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY).toBuilder()
                    .set(PasswordSmtpConfiguration.PORT, Integer.toString(server.port()))
                    .set(PasswordSmtpConfiguration.ENCRYPTION, "STARTTLS").build());
            server.refuseRecipient("bob@sandbox.test", "550 5.1.1 <bob@sandbox.test>: User unknown");
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> s.notifications().sendAsync(to("bob@sandbox.test")).get(10, TimeUnit.SECONDS));
            assertInstanceOf(DeliveryFailedException.class, e.getCause());
            assertEquals(Reason.RECIPIENT_REJECTED, ((DeliveryFailedException) e.getCause()).reason());
        }
    }

    @Test
    void aFullQueueRejectsAtOnceAndSaysSo() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore()
                     .trustStore(TestCertificates.trustStore()).readTimeout(Duration.ofSeconds(2))
                     .notificationRetryDeadline(Duration.ZERO).notificationQueueCapacity(1)
                     .notificationConnections(1).closeDrainTimeout(Duration.ZERO).build()) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY).toBuilder()
                    .set(PasswordSmtpConfiguration.PORT, Integer.toString(server.port()))
                    .set(PasswordSmtpConfiguration.ENCRYPTION, "STARTTLS")
                    .secret(PasswordSmtpConfiguration.PASSWORD, Secret.of("x")).build());
            server.hang(Stage.MAIL);
            CompletableFuture<Void> running = s.notifications().sendAsync(to("a@sandbox.test"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.commands().stream().filter(c -> c.startsWith("MAIL")).count() < 2) {
                assertTrue(System.nanoTime() < deadline, "the first notification never reached MAIL");
                Thread.sleep(10);
            }
            s.notifications().sendAsync(to("b@sandbox.test"));
            RejectedExecutionException full = assertThrows(RejectedExecutionException.class,
                    () -> s.notifications().sendAsync(to("c@sandbox.test")));
            assertTrue(full.getMessage().contains("full (1)"), full.getMessage());
            assertInstanceOf(DeliveryFailedException.class,
                    assertThrows(ExecutionException.class, () -> running.get(10, TimeUnit.SECONDS)).getCause());
        }
    }

    @Test
    void aNotificationStillQueuedWhenTheDrainTimeRunsOutFailsItsFutureInsteadOfHangingIt() throws Exception {
        CompletableFuture<Void> queued;
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start()) {
            EmailConfigurationService s = EmailConfig.builder().inMemoryStore()
                    .trustStore(TestCertificates.trustStore()).readTimeout(Duration.ofSeconds(2))
                    .notificationRetryDeadline(Duration.ZERO).notificationConnections(1)
                    .closeDrainTimeout(Duration.ZERO).build();
            s.save(mail.admin(), mail.passwordDraft(NOREPLY).toBuilder()
                    .set(PasswordSmtpConfiguration.PORT, Integer.toString(server.port()))
                    .set(PasswordSmtpConfiguration.ENCRYPTION, "STARTTLS").build());
            server.hang(Stage.MAIL);
            s.notifications().sendAsync(to("a@sandbox.test"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.commands().stream().filter(c -> c.startsWith("MAIL")).count() < 2) {
                assertTrue(System.nanoTime() < deadline, "the first notification never reached MAIL");
                Thread.sleep(10);
            }
            queued = s.notifications().sendAsync(to("b@sandbox.test"));
            s.close();
        }
        ExecutionException e = assertThrows(ExecutionException.class, () -> queued.get(1, TimeUnit.SECONDS));
        assertInstanceOf(RejectedExecutionException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
    }

    @Test
    void afterCloseSendAsyncRejectsAsItsJavadocSaysAndSendIsAnIllegalState() {
        EmailConfigurationService s = EmailConfig.builder().inMemoryStore().build();
        s.save(mail.admin(), mail.passwordDraft(NOREPLY));
        s.close();
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                () -> s.notifications().sendAsync(to("a@sandbox.test")));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> s.notifications().send(to("a@sandbox.test")));
    }

    @Test
    void closeLetsQueuedNotificationsGoOutFirst() throws Exception {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().build()) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
            for (int i = 0; i < 20; i++) {
                futures.add(s.notifications().sendAsync(to("user" + i + "@sandbox.test")));
            }
        }
        for (CompletableFuture<Void> f : futures) {
            assertTrue(f.isDone() && !f.isCompletedExceptionally(), "not sent before close returned");
        }
        assertEquals(21, mail.awaitMessages(21).size());
    }
}
