package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Reason;
import org.emailconfig.api.SaveResult;
import org.emailconfig.core.testing.ControllableStore;
import org.emailconfig.core.testing.LogCapture;
import org.emailconfig.core.testing.RecordingAudit;
import org.emailconfig.core.testing.SenderNames;
import org.emailconfig.testkit.SandboxMailServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How a node follows its store: late acknowledgements, outages, pushes, misbehaving stores. */
@Timeout(60)
class StoreFollowingTest {

    static final String NOREPLY = "noreply@sandbox.test";
    static final byte[] KEY = new byte[32];

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer().withMailbox(NOREPLY, "follow-password-0815");

    private final InMemoryConfigStore data = new InMemoryConfigStore();
    private final RecordingAudit audit = new RecordingAudit();
    private EmailConfigurationService node;

    @AfterEach
    void close() {
        if (node != null) {
            node.close();
        }
    }

    private EmailConfigurationService node(ControllableStore store, Duration refresh) {
        node = EmailConfig.builder().store(store).secretKey(KEY).refreshInterval(refresh).auditListener(audit).build();
        return node;
    }

    private ConfigurationDraft draft(String marker) {
        return mail.passwordDraft(NOREPLY).toBuilder().set(PasswordSmtpConfiguration.SENDER_NAME, marker).build();
    }

    private String notifyOnce(EmailConfigurationService s) throws Exception {
        return SenderNames.sendAndRead(mail, s);
    }

    @Test
    void aLateAcknowledgementNeverMovesTheNodeBackToAnOlderRevision() throws Exception {
        ControllableStore store = new ControllableStore(data, false);
        EmailConfigurationService s = node(store, Duration.ofHours(1));
        s.save(mail.admin(), draft("rev1"));

        CountDownLatch ack = store.holdNextAcknowledgement();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<SaveResult> slow = pool.submit(() -> s.save(mail.admin(), draft("rev2")));
            while (data.currentRevision() < 2) {
                Thread.sleep(5);
            }
            // A second admin saves on top of the committed revision 2 while its save still waits for the ack.
            assertEquals(3, s.save(mail.admin(), draft("rev3")).revision());
            ack.countDown();
            assertEquals(2, slow.get(30, TimeUnit.SECONDS).revision());
        } finally {
            pool.shutdownNow();
        }
        assertEquals("rev3", notifyOnce(s));
        assertEquals(3, s.read(mail.admin()).revision());
        assertEquals("rev3", notifyOnce(s));
    }

    @Test
    void notificationsKeepGoingThroughAStoreOutageWhichIsLoggedOnceWhenItStartsAndOnceWhenItEnds() throws Exception {
        ControllableStore store = new ControllableStore(data, false);
        EmailConfigurationService s = node(store, Duration.ofMillis(50));
        s.save(mail.admin(), draft("rev1"));
        LogCapture.install();
        int linesBefore = LogCapture.lines().size();

        store.failAsOutage();
        int checksAtOutage = store.revisionChecks();
        for (int i = 0; i < 10; i++) {
            assertEquals("rev1", notifyOnce(s));
        }
        while (store.revisionChecks() < checksAtOutage + 5) {
            Thread.sleep(20);
        }
        EmailConfigException saveFailure = assertThrows(EmailConfigException.class,
                () -> s.save(mail.admin(), draft("rev2")));
        assertEquals(Reason.STORE_FAILURE, saveFailure.reason());
        assertEquals(AuditOutcome.REJECTED_STORE_FAILURE, audit.last().outcome());

        store.recover();
        // Another node saved while this one could not read the store: it catches up.
        data.save(new org.emailconfig.api.spi.StoredConfiguration("x", 2, java.util.Map.of(), java.util.Map.of(),
                java.time.Instant.EPOCH, "other"), 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!LogCapture.lines().subList(linesBefore, LogCapture.lines().size()).stream()
                .anyMatch(l -> l.contains("can be read again"))) {
            assertTrue(System.nanoTime() < deadline, "recovery was never logged");
            Thread.sleep(20);
        }
        List<String> lines = LogCapture.lines().subList(linesBefore, LogCapture.lines().size());
        assertEquals(1, lines.stream().filter(l -> l.contains("cannot be read (")).count(), lines.toString());
        assertEquals(1, lines.stream().filter(l -> l.contains("can be read again")).count(), lines.toString());
    }

    @Test
    void aStoreThatPushesIsFollowedAtOnceEvenWithAnHourlyRefreshInterval() throws Exception {
        ControllableStore pushing = new ControllableStore(data, true);
        EmailConfigurationService b = node(pushing, Duration.ofHours(1));
        try (EmailConfigurationService a = EmailConfig.builder().store(new ControllableStore(data, false))
                .secretKey(KEY).build()) {
            a.save(mail.admin(), draft("rev1"));
            assertEquals("rev1", notifyOnce(b));
            a.save(mail.admin(), draft("rev2"));
            assertEquals("rev1", notifyOnce(b), "without a push, B polls only every hour");
            pushing.push(2);
            // Any bound far below the hour proves the push; a few seconds keeps a loaded machine from failing it.
            long start = System.nanoTime();
            while (!"rev2".equals(notifyOnce(b))) {
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "push not followed");
                Thread.sleep(10);
            }
        }
    }

    @Test
    void aStoreThatWasDownAtStartIsSubscribedToOnceItAnswers() throws Exception {
        ControllableStore pushing = new ControllableStore(data, true);
        pushing.failAsOutage();
        node(pushing, Duration.ofMillis(50));
        assertEquals(0, pushing.subscribers());
        pushing.recover();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pushing.subscribers() == 0) {
            assertTrue(System.nanoTime() < deadline, "never subscribed after the store came back");
            Thread.sleep(20);
        }
        Thread.sleep(200);
        assertEquals(1, pushing.subscribers(), "subscribed once, not on every check");
    }

    @Test
    void aSaveThatWouldLoseToAnotherNodesSaveSendsNoTestEmail() throws Exception {
        ControllableStore store = new ControllableStore(data, false);
        EmailConfigurationService s = node(store, Duration.ofHours(1));
        s.save(mail.admin(), draft("rev1"));
        int mailsBefore = mail.receivedMessages().size();
        // Another node saves revision 2 just after this node read the store for the save, before it tests.
        store.afterNextLoad(() -> data.save(data.load().map(c -> new org.emailconfig.api.spi.StoredConfiguration(
                c.type(), 2, c.settings(), c.sealedSecrets(), c.savedAt(), "other-node-admin")).orElseThrow(), 1));
        assertThrows(org.emailconfig.api.ConcurrentUpdateException.class, () -> s.save(mail.admin(), draft("late")));
        assertEquals(mailsBefore, mail.receivedMessages().size(), "the losing save sent the admin a test email");
        assertEquals(2, data.currentRevision());
        assertTrue(audit.events().stream().anyMatch(e -> e.outcome() == org.emailconfig.api.AuditOutcome.REJECTED_CONFLICT));
    }

    @Test
    void aHostStoreThatHangsFailsTheAdminsRequestAtTheStoreTimeoutNotNever() throws Exception {
        ControllableStore store = new ControllableStore(data, false);
        node = EmailConfig.builder().store(store).secretKey(KEY).refreshInterval(Duration.ofHours(1))
                .storeTimeout(Duration.ofMillis(500)).auditListener(audit).build();
        node.save(mail.admin(), draft("rev1"));
        CountDownLatch release = store.hang();
        try {
            long start = System.nanoTime();
            EmailConfigException read = assertThrows(EmailConfigException.class, () -> node.read(mail.admin()));
            EmailConfigException save = assertThrows(EmailConfigException.class,
                    () -> node.save(mail.admin(), draft("rev2")));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(Reason.STORE_FAILURE, read.reason());
            assertTrue(read.getMessage().contains("did not answer within 500 ms"), read.getMessage());
            assertFalse(read.getMessage().contains("may still complete"), "a read changes nothing: " + read.getMessage());
            assertTrue(read.hint(java.util.Locale.ENGLISH).contains("notifications keep using the configuration in force"),
                    read.hint(java.util.Locale.ENGLISH));
            assertEquals(Reason.STORE_FAILURE, save.reason());
            assertTrue(ms < 3_000, "two bounded calls took " + ms + " ms");
            assertEquals("rev1", notifyOnce(node), "notifications keep the configuration in force");
        } finally {
            release.countDown();
        }
        assertEquals(1, node.read(mail.admin()).revision());
    }

    @Test
    void aStoreRestoredFromABackupIsFollowedReportedOnceAndASaveAfterItIsInForce() throws Exception {
        ControllableStore store = new ControllableStore(data, false);
        EmailConfigurationService s = node(store, Duration.ofMillis(50));
        s.save(mail.admin(), draft("rev1"));
        org.emailconfig.api.spi.StoredConfiguration first = data.load().orElseThrow();
        s.save(mail.admin(), draft("rev2"));
        LogCapture.install();
        int linesBefore = LogCapture.lines().size();
        // The store is restored from a backup taken at revision 1.
        InMemoryConfigStore backup = new InMemoryConfigStore();
        backup.save(first, 0);
        store.replaceData(backup);
        SenderNames.awaitSending(mail, s, "rev1", Duration.ofSeconds(10));
        int checks = store.revisionChecks();
        while (store.revisionChecks() < checks + 5) {
            Thread.sleep(20);
        }
        List<String> lines = LogCapture.lines().subList(linesBefore, LogCapture.lines().size());
        assertEquals(1, lines.stream().filter(l -> l.contains("restored from a backup or replaced")).count(),
                lines.toString());
        // The admin's next save is revision 2 again, and in force.
        assertEquals(2, s.save(mail.admin(), draft("after-restore")).revision());
        assertEquals("after-restore", notifyOnce(s));
        assertEquals("after-restore", s.read(mail.admin()).values().get(PasswordSmtpConfiguration.SENDER_NAME));
    }

    @Test
    void aStoreRestoredAndSavedAgainUnderTheSameRevisionNumberIsFollowedByPolling() throws Exception {
        ControllableStore store = new ControllableStore(data, false);
        EmailConfigurationService s = node(store, Duration.ofMillis(50));
        s.save(mail.admin(), draft("rev1"));
        org.emailconfig.api.spi.StoredConfiguration first = data.load().orElseThrow();
        s.save(mail.admin(), draft("rev2"));
        // Elsewhere: the backup at revision 1 restored and saved again, as revision 2 once more, then swapped in at
        // once, so this node never sees the store go back; only comparing the configuration itself tells.
        InMemoryConfigStore restoredAndSaved = new InMemoryConfigStore();
        restoredAndSaved.save(first, 0);
        try (EmailConfigurationService other = EmailConfig.builder().store(restoredAndSaved).secretKey(KEY)
                .refreshInterval(Duration.ofHours(1)).build()) {
            assertEquals(2, other.save(mail.admin(), draft("after-restore")).revision());
        }
        store.replaceData(restoredAndSaved);
        // Notifications read memory only: what changes what they send is the follower's comparison.
        SenderNames.awaitSending(mail, s, "after-restore", Duration.ofSeconds(10));
    }

    @Test
    void aStoreThatHoldsNothingAnyMoreIsNotFollowedIntoSilenceAndASaveIsInForceAgain() throws Exception {
        ControllableStore store = new ControllableStore(data, false);
        EmailConfigurationService s = node(store, Duration.ofMillis(50));
        s.save(mail.admin(), draft("rev1"));
        s.save(mail.admin(), draft("rev2"));
        LogCapture.install();
        int linesBefore = LogCapture.lines().size();
        store.replaceData(new InMemoryConfigStore());
        int checks = store.revisionChecks();
        while (store.revisionChecks() < checks + 5) {
            Thread.sleep(20);
        }
        assertEquals("rev2", notifyOnce(s), "an emptied store does not stop notifications");
        List<String> lines = LogCapture.lines().subList(linesBefore, LogCapture.lines().size());
        assertEquals(1, lines.stream().filter(l -> l.contains("holds no configuration")).count(), lines.toString());
        assertEquals(1, s.save(mail.admin(), draft("fresh")).revision());
        assertEquals("fresh", notifyOnce(s));
    }

    @Test
    void aStoreThrowingARawExceptionGivesAStoreFailureThatIsAudited() {
        ControllableStore store = new ControllableStore(data, false);
        EmailConfigurationService s = node(store, Duration.ofHours(1));
        store.fail(() -> new IllegalStateException("jdbc:postgresql://db/hub?password=hunter2 broke"));

        EmailConfigException e = assertThrows(EmailConfigException.class, () -> s.save(mail.admin(), draft("x")));
        assertEquals(Reason.STORE_FAILURE, e.reason());
        assertTrue(e.getMessage().contains(ControllableStore.class.getName()), e.getMessage());
        assertTrue(!e.getMessage().contains("hunter2"), e.getMessage());
        assertEquals(AuditOutcome.REJECTED_STORE_FAILURE, audit.last().outcome());

        EmailConfigException read = assertThrows(EmailConfigException.class, () -> s.read(mail.admin()));
        assertEquals(Reason.STORE_FAILURE, read.reason());
        EmailConfigException test = assertThrows(EmailConfigException.class, () -> s.sendTestEmail(mail.admin()));
        assertEquals(Reason.STORE_FAILURE, test.reason());
        assertEquals(AuditOutcome.TEST_FAILED, audit.last().outcome());
    }
}
