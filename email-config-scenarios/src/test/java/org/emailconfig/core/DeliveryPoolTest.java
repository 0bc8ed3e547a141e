package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.emailconfig.api.Actor;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Secret;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.ScriptedSmtpServer.Stage;
import org.emailconfig.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Notifications from many threads over a bounded pool of kept-open connections. */
@Timeout(60)
class DeliveryPoolTest {

    static final Actor ADMIN = Actor.admin("admin-1", "admin@sandbox.test");

    private static ConfigurationDraft draft(ScriptedSmtpServer server, String senderName) {
        return ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                .set(PasswordSmtpConfiguration.SENDER_ADDRESS, "noreply@sandbox.test")
                .set(PasswordSmtpConfiguration.SENDER_NAME, senderName)
                .set(PasswordSmtpConfiguration.HOST, "127.0.0.1")
                .set(PasswordSmtpConfiguration.PORT, Integer.toString(server.port()))
                .set(PasswordSmtpConfiguration.ENCRYPTION, "STARTTLS")
                .set(PasswordSmtpConfiguration.AUTHENTICATION, "true")
                .set(PasswordSmtpConfiguration.USERNAME, "noreply")
                .secret(PasswordSmtpConfiguration.PASSWORD, Secret.of("pool-pw")).build();
    }

    private static EmailConfig.Builder builder() {
        return EmailConfig.builder().inMemoryStore().trustStore(TestCertificates.trustStore())
                .readTimeout(Duration.ofSeconds(5));
    }

    private static Notification note(int i) {
        return Notification.of(EmailAddress.of("user" + i + "@sandbox.test"), "Notice " + i, "Body " + i);
    }

    private static long count(ScriptedSmtpServer server, String command) {
        return server.commands().stream().filter(c -> c.startsWith(command)).count();
    }

    @Test
    void manyThreadsShareAtMostThePoolSizeOfConnectionsAndEveryMessageArrives() throws Exception {
        int threads = 8;
        int each = 25;
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = builder().notificationConnections(3).build()) {
            s.save(ADMIN, draft(server, "Pool"));
            int beforeConnections = server.connections();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * each;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        s.notifications().send(note(base + i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();

            int opened = server.connections() - beforeConnections;
            assertTrue(opened >= 2 && opened <= 3, "connections opened for notifications: " + opened);
            assertEquals(1 + threads * each, server.messages().size(), "the test email and every notification");
        }
    }

    @Test
    void aNewRevisionWhileThreadsSendLosesNothingAndNothingStartedAfterTheSaveUsesTheOldConfiguration()
            throws Exception {
        // The new revision points at another server: a message on a kept-open connection of the old revision
        // would arrive at the old one, whatever its From header says.
        try (ScriptedSmtpServer oldServer = ScriptedSmtpServer.withStartTls().start();
             ScriptedSmtpServer newServer = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = builder().notificationConnections(3).build()) {
            s.save(ADMIN, draft(oldServer, "Old Sender"));
            AtomicLong switched = new AtomicLong(Long.MAX_VALUE);
            // Message number -> when its send started, to tell which ones began after the save returned.
            ConcurrentHashMap<Integer, Long> started = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            int perThread = 40;
            for (int t = 0; t < 4; t++) {
                int base = t * perThread;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        started.put(base + i, System.nanoTime());
                        s.notifications().send(note(base + i));
                    }
                    return null;
                }));
            }
            while (started.size() < 30) {
                Thread.sleep(1);
            }
            s.save(ADMIN, draft(newServer, "New Sender"));
            switched.set(System.nanoTime());
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();

            List<Integer> atOld = numbers(oldServer);
            List<Integer> atNew = numbers(newServer);
            assertEquals(4 * perThread, atOld.size() + atNew.size(), "nothing lost, nothing sent twice");
            List<Integer> lateAtOld = atOld.stream().filter(n -> started.get(n) > switched.get()).toList();
            assertEquals(List.of(), lateAtOld, "started after the save, yet sent with the old configuration");
            assertTrue(atNew.stream().anyMatch(n -> started.get(n) > switched.get()), "some started after the switch");
            assertTrue(newServer.messages().stream().filter(m -> m.contains("Subject: Notice "))
                    .allMatch(m -> m.contains("From: New Sender <noreply@sandbox.test>")));
        }
    }

    private static List<Integer> numbers(ScriptedSmtpServer server) {
        return server.messages().stream().filter(m -> m.contains("Subject: Notice "))
                .map(m -> Integer.parseInt(m.replaceAll("(?s).*Subject: Notice (\\d+).*", "$1"))).toList();
    }

    @Test
    void aPooledConnectionTheServerClosesIsReplacedAndTheMessageStillGoesOut() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = builder().notificationConnections(1).build()) {
            s.save(ADMIN, draft(server, "Pool"));
            s.notifications().send(note(1));
            int before = server.connections();
            server.replyOnce(Stage.MAIL, "421 4.7.0 Too many messages in this session, closing connection");

            s.notifications().send(note(2));

            assertEquals(before + 1, server.connections(), "one fresh connection, no failure");
            assertTrue(server.messages().stream().anyMatch(m -> m.contains("Subject: Notice 2")));
        }
    }

    @Test
    void aConnectionCarriesAtMostTheConfiguredNumberOfMessages() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = builder().notificationConnections(1).maxMessagesPerConnection(2).build()) {
            s.save(ADMIN, draft(server, "Pool"));
            int before = server.connections();
            for (int i = 0; i < 5; i++) {
                s.notifications().send(note(i));
            }
            assertEquals(before + 3, server.connections(), "2 + 2 + 1 messages");
            assertEquals(5, count(server, "MAIL") - 1);
        }
    }

    @Test
    void anIdleConnectionIsClosedAndTheNextMessageOpensANewOne() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = builder().notificationConnections(2)
                     .idleConnectionTimeout(Duration.ofMillis(200)).build()) {
            s.save(ADMIN, draft(server, "Pool"));
            long quitsBefore = count(server, "QUIT");
            s.notifications().send(note(1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (count(server, "QUIT") == quitsBefore) {
                assertTrue(System.nanoTime() < deadline, "the idle connection was never closed");
                Thread.sleep(20);
            }
            int before = server.connections();
            s.notifications().send(note(2));
            assertEquals(before + 1, server.connections());
        }
    }
}
