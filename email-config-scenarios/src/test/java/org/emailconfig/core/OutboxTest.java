package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

import org.emailconfig.api.Actor;
import org.emailconfig.api.AuditEvent;
import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.NotAllowedException;
import org.emailconfig.api.Notification;
import org.emailconfig.api.OutboxStatus;
import org.emailconfig.api.Reason;
import org.emailconfig.core.internal.OutboxRows;
import org.emailconfig.core.testing.Drafts;
import org.emailconfig.core.testing.RecordingAudit;
import org.emailconfig.core.testing.UrlDataSource;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.ScriptedSmtpServer.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox on an H2 file database, the embedded choice of one node: a notification written in the host's
 * transaction goes out once it commits and never when it rolls back; temporary failures come back, permanent ones
 * and messages that may have been delivered are final; a node that stopped mid-delivery hands its rows on.
 */
@Timeout(60)
class OutboxTest {

    @TempDir
    Path dir;
    private DataSource dataSource;

    @BeforeEach
    void database() {
        dataSource = new UrlDataSource("jdbc:h2:file:" + dir.resolve("app") + ";DB_CLOSE_DELAY=-1", new Properties());
    }

    private JdbcOutbox outbox() {
        return JdbcOutbox.builder(dataSource).createTableIfMissing(true).nodeName("node-a").build();
    }

    private static EmailConfigurationService node(JdbcOutbox outbox, ScriptedSmtpServer server) {
        EmailConfigurationService s = EmailConfig.builder().inMemoryStore().readTimeout(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofSeconds(2)).outbox(outbox).build();
        s.save(new SandboxMailServer().admin(), Drafts.password(server.port(), "NONE", "outbox-pw"));
        return s;
    }

    private static Notification reset(String user) {
        return Notification.of(EmailAddress.of(user + "@sandbox.test"), "Reset for " + user, "Your link");
    }

    /** How many messages with this subject the server received. */
    private static long received(ScriptedSmtpServer server, String subject) {
        return server.messages().stream().filter(m -> m.contains("Subject: " + subject)).count();
    }

    /** How often the server was asked to take a message for this user. */
    private static long attemptsFor(ScriptedSmtpServer server, String user) {
        return server.commands().stream().filter(c -> c.equalsIgnoreCase("RCPT TO:<" + user + "@sandbox.test>")).count();
    }

    private static long mailCommands(ScriptedSmtpServer server) {
        return server.commands().stream().filter(c -> c.toUpperCase(java.util.Locale.ROOT).startsWith("MAIL FROM")).count();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(20);
        }
    }

    private static void awaitState(JdbcOutbox outbox, long id, String state) throws InterruptedException {
        await(() -> outbox.state(id).orElse("").equals(state));
    }

    @Test
    void aNotificationWrittenInTheHostsTransactionGoesOutWhenItCommitsAndNeverWhenItRollsBack() throws Exception {
        JdbcOutbox outbox = outbox();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start();
             EmailConfigurationService s = node(outbox, server);
             Connection c = dataSource.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE reset_token (username VARCHAR(50), token VARCHAR(50))");
            }
            c.setAutoCommit(false);
            long committed = inTransaction(c, outbox, "alice");
            c.commit();
            long rolledBack = inTransaction(c, outbox, "bob");
            c.rollback();

            awaitState(outbox, committed, "SENT");
            assertEquals(1, received(server, "Reset for alice"));
            assertEquals("", outbox.state(rolledBack).orElse(""), "the rolled-back row never existed");
            // One more look of the worker at the outbox, and bob's mail still never came.
            long marker = outbox.enqueue(reset("carol"));
            awaitState(outbox, marker, "SENT");
            assertEquals(0, received(server, "Reset for bob"));
            assertEquals(1, count(c, "SELECT COUNT(*) FROM reset_token"));
        }
    }

    private static long inTransaction(Connection c, JdbcOutbox outbox, String user) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO reset_token VALUES (?, ?)")) {
            st.setString(1, user);
            st.setString(2, "token-of-" + user);
            st.executeUpdate();
        }
        return outbox.enqueue(c, reset(user));
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aTemporaryRefusalComesBackAfterTheBackoffAndArrivesOnce() throws Exception {
        JdbcOutbox outbox = outbox();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start();
             EmailConfigurationService s = node(outbox, server)) {
            server.replyOnce(Stage.MAIL, "451 4.3.0 Temporary lookup failure");
            long id = outbox.enqueue(reset("dave"));
            awaitState(outbox, id, "SENT");
            assertEquals(1, received(server, "Reset for dave"));
            assertEquals(2, column(id, "attempts"));
        }
    }

    @Test
    void everyAttemptOfARowCarriesOneMessageIdSoARecipientsSystemCanTellItIsTheSameMessage() throws Exception {
        JdbcOutbox outbox = outbox();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start();
             EmailConfigurationService s = node(outbox, server)) {
            // Refused for now after the whole message went out: the retry sends it whole again.
            server.replyOnce(Stage.END_OF_DATA, "451 4.3.0 Please try again later");
            long id = outbox.enqueue(reset("erin"));
            awaitState(outbox, id, "SENT");
            List<String> ids = server.messages().stream().filter(m -> m.contains("Subject: Reset for erin"))
                    .map(m -> m.lines().filter(l -> l.startsWith("Message-ID: ")).findFirst().orElseThrow()).toList();
            assertEquals(2, ids.size());
            assertEquals(ids.get(0), ids.get(1));
            assertTrue(ids.get(0).matches("Message-ID: <outbox\\." + id + "\\.\\d+@sandbox\\.test>"), ids.get(0));
        }
    }

    @Test
    void aPermanentRefusalIsFailedWithItsReasonAndStepAndNeverTriedAgain() throws Exception {
        JdbcOutbox outbox = outbox();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start();
             EmailConfigurationService s = node(outbox, server)) {
            server.refuseRecipient("erin@sandbox.test", "550 5.1.1 User unknown");
            long id = outbox.enqueue(reset("erin"));
            awaitState(outbox, id, "FAILED");
            assertEquals("RECIPIENT_REJECTED", text(id, "reason"));
            assertEquals("RCPT", text(id, "step"));
            assertEquals(1, column(id, "attempts"));
            assertFalse(text(id, "detail").contains("Your link"), "no body in what the admin reads");
        }
    }

    @Test
    void aMessageWhoseEndWentOutWithoutAReplyMayHaveBeenDeliveredAndIsNeverSentAgain() throws Exception {
        JdbcOutbox outbox = outbox();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start();
             EmailConfigurationService s = node(outbox, server)) {
            server.reset(Stage.END_OF_DATA);
            long id = outbox.enqueue(reset("frank"));
            awaitState(outbox, id, "MAYBE_DELIVERED");
            assertEquals(1, attemptsFor(server, "frank"), "the whole message went to the server once, and only once");
            assertEquals(1, column(id, "attempts"));
        }
    }

    @Test
    void aNodeThatStoppedBeforeTheEndHandsTheRowOnAndOneThatStoppedAfterItLeavesItMaybeDelivered() throws Exception {
        JdbcOutbox outbox = outbox();
        long before = outbox.enqueue(reset("grace"));
        long after = outbox.enqueue(reset("heidi"));
        // A node claims both and stops: one message not ended yet, the other's end gone out. Its leases run out.
        OutboxRows rows = outbox.rows();
        long now = System.currentTimeMillis();
        List<OutboxRows.Claimed> claimed = rows.claim("node-that-dies", 2, now, now - 1);
        assertEquals(2, claimed.size());
        OutboxRows.Claimed ended = claimed.stream().filter(r -> r.id() == after).findFirst().orElseThrow();
        OutboxRows.Claimed unended = claimed.stream().filter(r -> r.id() == before).findFirst().orElseThrow();
        assertTrue(rows.markEndOfData(ended, now - 1, now));

        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start();
             EmailConfigurationService s = node(outbox, server)) {
            awaitState(outbox, before, "SENT");
            awaitState(outbox, after, "MAYBE_DELIVERED");
            assertEquals(1, received(server, "Reset for grace"));
            assertEquals(0, received(server, "Reset for heidi"), "never sent again: the server may have it");
            // The node comes back: it can no longer end the message it had begun, so it never sends it a second time.
            assertFalse(rows.markEndOfData(unended, now + 60_000, now));
            assertEquals("SENT", outbox.state(before).orElseThrow());
        }
    }

    @Test
    void aNodeClosingMidDeliveryGivesItsRowsBackAtOnceAndTheNextNodeSendsEachOnce() throws Exception {
        JdbcOutbox outbox = outbox();
        long inFlight;
        long waiting;
        try (ScriptedSmtpServer slow = ScriptedSmtpServer.plain().start()) {
            EmailConfigurationService s = EmailConfig.builder().inMemoryStore().readTimeout(Duration.ofSeconds(5))
                    .notificationConnections(1).closeDrainTimeout(Duration.ofMillis(100)).outbox(outbox).build();
            s.save(new SandboxMailServer().admin(), Drafts.password(slow.port(), "NONE", "outbox-pw"));
            // One connection: ivan's message is on it, slowly; judy's row is claimed behind it.
            slow.replyLate(Stage.MAIL, Duration.ofMillis(1500));
            long saveMail = mailCommands(slow);
            inFlight = outbox.enqueue(reset("ivan"));
            waiting = outbox.enqueue(reset("judy"));
            await(() -> mailCommands(slow) > saveMail && outbox.state(waiting).orElse("").equals("SENDING"));
            org.emailconfig.api.EmailHealth health = s.health();
            assertEquals(1, health.connectionsInUse(), "ivan's message is on the one connection");
            assertEquals(2, health.outboxPending(), "neither is sent yet");
            s.close();
            assertEquals("PENDING", outbox.state(waiting).orElseThrow(), "due again for any node now, not after the lease");
            // The send in flight loses its connection with the node: not the message's failure, so not FAILED.
            awaitState(outbox, inFlight, "PENDING");
            assertEquals(0, received(slow, "Reset for ivan"));
        }
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start();
             EmailConfigurationService next = node(outbox, server)) {
            awaitState(outbox, inFlight, "SENT");
            awaitState(outbox, waiting, "SENT");
            assertEquals(1, received(server, "Reset for ivan"));
            assertEquals(1, received(server, "Reset for judy"));
        }
    }

    @Test
    void theAdministratorSeesWhatNeedsADecisionInTheirLanguageAndResendsOrDiscardsItAudited() throws Exception {
        JdbcOutbox outbox = outbox();
        long lost = outbox.enqueue(reset("ivan"));
        long now = System.currentTimeMillis();
        OutboxRows.Claimed claimed = outbox.rows().claim("node-that-dies", 1, now, now - 1).get(0);
        outbox.rows().markEndOfData(claimed, now - 1, now);
        RecordingAudit audit = new RecordingAudit();
        Actor admin = new SandboxMailServer().admin().withLocale(Locale.GERMANY);
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore().auditListener(audit).outbox(outbox)
                     .build()) {
            s.save(admin, Drafts.password(server.port(), "NONE", "outbox-pw"));
            awaitState(outbox, lost, "MAYBE_DELIVERED");
            server.replyOnce(Stage.MAIL, "550 5.7.1 Sender not allowed");
            long refused = outbox.enqueue(reset("judy"));
            awaitState(outbox, refused, "FAILED");

            OutboxStatus status = s.outbox(admin).orElseThrow();
            assertEquals(0, status.pending());
            assertEquals(Optional.empty(), status.oldestPendingAge());
            OutboxStatus.Revision first = status.revisions().get(0);
            assertEquals(1, first.revision());
            assertEquals(1, first.failed());
            assertEquals(0, first.maybeDelivered(), "the lost one was never tried with a revision of this service");
            assertEquals(List.of(refused, lost), status.attention().stream().map(OutboxStatus.Entry::id).toList());
            OutboxStatus.Entry failed = status.attention().get(0);
            assertEquals(OutboxStatus.Kind.FAILED, failed.kind());
            assertEquals(List.of(EmailAddress.of("judy@sandbox.test")), failed.recipients());
            assertEquals("Reset for judy", failed.subject());
            assertEquals(Reason.SENDER_REJECTED, failed.reason());
            assertEquals(DeliveryStep.MAIL, failed.step());
            assertEquals(1, failed.attempts());
            assertEquals(Reason.SENDER_REJECTED.hint(Locale.GERMAN), failed.hint());
            assertEquals(OutboxStatus.Kind.MAYBE_DELIVERED, status.attention().get(1).kind());

            assertThrows(NotAllowedException.class, () -> s.outbox(Actor.user("u-1", "u@sandbox.test")));
            assertThrows(NotAllowedException.class, () -> s.discardNotification(Actor.user("u-1", "u@sandbox.test"),
                    refused));
            assertEquals("FAILED", outbox.state(refused).orElseThrow(), "a refused actor changes nothing");

            assertTrue(s.resendNotification(admin, refused));
            awaitState(outbox, refused, "SENT");
            assertEquals(1, received(server, "Reset for judy"));
            assertTrue(s.discardNotification(admin, lost));
            assertFalse(s.discardNotification(admin, lost), "discarded already");
            assertFalse(s.resendNotification(admin, refused), "sent already");
            assertEquals("DISCARDED", outbox.state(lost).orElseThrow());
            assertEquals(List.of(), s.outbox(admin).orElseThrow().attention());
            List<AuditEvent> decisions = audit.events().stream().filter(e -> e.notification() != 0).toList();
            assertEquals(List.of(AuditOutcome.NOTIFICATION_RESENT, AuditOutcome.NOTIFICATION_DISCARDED),
                    decisions.stream().map(AuditEvent::outcome).toList());
            assertEquals(List.of(refused, lost), decisions.stream().map(AuditEvent::notification).toList());
        }
        try (EmailConfigurationService without = EmailConfig.builder().inMemoryStore().build()) {
            assertEquals(Optional.empty(), without.outbox(admin));
            assertThrows(UnsupportedOperationException.class, () -> without.resendNotification(admin, 1));
        }
    }

    @Test
    void theProvidersSlowDownPausesTheMailboxForEveryNodeAndAHeldBackNotificationWaitsWithoutAnAttempt()
            throws Exception {
        JdbcOutbox outbox = outbox();
        JdbcOutbox otherNode = JdbcOutbox.builder(dataSource).nodeName("node-b").build();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start();
             EmailConfigurationService s = node(outbox, server)) {
            server.replyOnce(Stage.MAIL, "432 4.3.2 Concurrent connections limit exceeded");
            long slowedDown = outbox.enqueue(reset("kim"));
            await(() -> column(slowedDown, "attempts") == 1 && "PENDING".equals(outbox.state(slowedDown).orElse("")));
            long paused = otherNode.limits().reserveMessage("noreply@sandbox.test");
            assertTrue(paused > 50_000, "the other node must wait out the pause too, " + paused + " ms left");

            long waiting = outbox.enqueue(reset("leo"));
            await(() -> column(waiting, "due_at") > System.currentTimeMillis() + 50_000);
            assertEquals(0, column(waiting, "attempts"), "held back before the server: no attempt");
            assertEquals("PENDING", outbox.state(waiting).orElseThrow());
            assertEquals(0, attemptsFor(server, "leo"));
            assertEquals(2, s.outbox(new SandboxMailServer().admin()).orElseThrow().pending(), "visible as pending");
        }
    }

    @Test
    void aDirectSendStillGoesOutWhileTheOutboxsDatabaseIsAway() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean away = new java.util.concurrent.atomic.AtomicBoolean();
        DataSource flaky = (DataSource) java.lang.reflect.Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (away.get() && method.getName().equals("getConnection")) {
                        throw new SQLException("database unreachable", "08001");
                    }
                    try {
                        return method.invoke(dataSource, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        JdbcOutbox outbox = JdbcOutbox.builder(flaky).createTableIfMissing(true).build();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start();
             EmailConfigurationService s = node(outbox, server)) {
            long before = outbox.enqueue(reset("mia"));
            awaitState(outbox, before, "SENT");
            away.set(true);
            s.notifications().send(reset("noah"));
            assertEquals(1, received(server, "Reset for noah"), "the limits' database is no reason to fail a send");
        }
    }

    /** A third party's delivery that fails unexpectedly for one subject, after its request may have gone out. */
    static final class BrokenCourier extends DiscoveryTest.PigeonProvider {
        static final java.util.concurrent.atomic.AtomicInteger SENDS = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public org.emailconfig.api.spi.MailDelivery open(org.emailconfig.api.EmailConfiguration configuration,
                                                         org.emailconfig.api.spi.DeliveryContext context) {
            return new org.emailconfig.api.spi.MailDelivery() {
                @Override
                public void send(jakarta.mail.internet.MimeMessage message) {
                    SENDS.incrementAndGet();
                    throw new IllegalStateException("the courier dropped the parcel");
                }

                @Override
                public boolean isOpen() {
                    return true;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    void aThirdPartyDeliveryThatFailsUnexpectedlyIsNeverSentAgainOnItsOwn() throws Exception {
        JdbcOutbox outbox = outbox();
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().provider(new BrokenCourier())
                .outbox(outbox).build()) {
            s.save(new SandboxMailServer().admin(), org.emailconfig.api.ConfigurationDraft.builder("carrier-pigeon")
                    .set("loft", "roof").build(), org.emailconfig.api.SaveOptions.defaults()
                    .withTestPolicy(org.emailconfig.api.TestPolicy.SAVE_ANYWAY));
            int before = BrokenCourier.SENDS.get();
            long id = outbox.enqueue(reset("olga"));
            await(() -> !List.of("PENDING", "SENDING", "END_OF_DATA").contains(outbox.state(id).orElse("")));
            assertEquals("MAYBE_DELIVERED", outbox.state(id).orElseThrow(),
                    "its request may have gone out before it failed: never tried again on its own");
            assertEquals(1, BrokenCourier.SENDS.get() - before);
        }
    }

    private long column(long id, String name) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT " + name + " FROM email_outbox WHERE id = ?")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new java.io.UncheckedIOException(new java.io.IOException(e));
        }
    }

    private String text(long id, String name) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT " + name + " FROM email_outbox WHERE id = ?")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
