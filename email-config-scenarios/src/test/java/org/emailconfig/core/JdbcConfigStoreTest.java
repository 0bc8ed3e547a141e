package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Reason;
import org.emailconfig.api.spi.StoredConfiguration;
import org.emailconfig.core.testing.PostgresServer;
import org.emailconfig.core.testing.RecordingAudit;
import org.emailconfig.core.testing.SenderNames;
import org.emailconfig.testkit.SandboxMailServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC store on a real PostgreSQL: outages, timeouts, history, table names, shipped DDL. */
@Timeout(120)
class JdbcConfigStoreTest {

    static final String NOREPLY = "noreply@sandbox.test";
    static final byte[] KEY = new byte[32];

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer().withMailbox(NOREPLY, "jdbc-password-2718");

    private JdbcConfigStore store(String table) {
        return JdbcConfigStore.builder(POSTGRES.dataSource()).table(table).createTableIfMissing(true).build();
    }

    private static StoredConfiguration config(long revision) {
        return new StoredConfiguration("t", revision, Map.of("k", "v" + revision), Map.of(),
                Instant.parse("2026-11-28T10:00:00Z").plusSeconds(revision), "admin" + revision);
    }

    @Test
    void theDatabaseStoppedAndRestartedDuringNotificationsFailsNoNotificationAndTheNodeCatchesUp() throws Exception {
        String table = PostgresServer.newTable();
        RecordingAudit audit = new RecordingAudit();
        try (EmailConfigurationService node = EmailConfig.builder().store(store(table)).secretKey(KEY)
                .refreshInterval(Duration.ofMillis(100)).auditListener(audit).build()) {
            node.save(mail.admin(), mail.passwordDraft(NOREPLY).toBuilder()
                    .set(PasswordSmtpConfiguration.SENDER_NAME, "rev1").build());
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<?> sender = pool.submit(() -> {
                while (running.get()) {
                    node.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link"));
                    sent.incrementAndGet();
                }
                return null;
            });
            try {
                Thread.sleep(300);
                POSTGRES.stop();
                int beforeOutage = sent.get();
                Thread.sleep(1000);
                EmailConfigException save = assertThrows(EmailConfigException.class,
                        () -> node.save(mail.admin(), mail.passwordDraft(NOREPLY)));
                assertEquals(Reason.STORE_FAILURE, save.reason());
                assertTrue(save.getMessage().contains("PostgreSQL database jdbc:postgresql://127.0.0.1:" + POSTGRES.port()),
                        save.getMessage());
                assertTrue(save.hint().contains("is running and reachable"), save.hint());
                assertEquals(AuditOutcome.REJECTED_STORE_FAILURE, audit.last().outcome());
                assertTrue(sent.get() > beforeOutage, "notifications kept going while the database was down");
                POSTGRES.start();
                Thread.sleep(300);
            } finally {
                running.set(false);
                sender.get(30, TimeUnit.SECONDS);
                pool.shutdownNow();
            }
            assertTrue(sent.get() > 0);

            // Another node saves after the restart; this node catches up.
            try (EmailConfigurationService other = EmailConfig.builder().store(store(table)).secretKey(KEY).build()) {
                other.save(mail.admin(), mail.passwordDraft(NOREPLY).toBuilder()
                        .set(PasswordSmtpConfiguration.SENDER_NAME, "after-restart").build());
            }
            SenderNames.awaitSending(mail, node, "after-restart", Duration.ofSeconds(10));
        } finally {
            POSTGRES.start();
        }
    }

    @Test
    void aStatementThatWaitsOnALockEndsAtTheQueryTimeoutWithAStoreFailure() throws Exception {
        String table = PostgresServer.newTable();
        JdbcConfigStore store = JdbcConfigStore.builder(POSTGRES.dataSource()).table(table)
                .createTableIfMissing(true).queryTimeout(Duration.ofSeconds(1)).build();
        store.save(config(1), 0);
        try (Connection locker = POSTGRES.dataSource().getConnection()) {
            locker.setAutoCommit(false);
            try (Statement st = locker.createStatement()) {
                st.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
            }
            long start = System.nanoTime();
            EmailConfigException e = assertThrows(EmailConfigException.class, store::load);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(Reason.STORE_FAILURE, e.reason());
            assertTrue(ms < 10_000, "waited " + ms + " ms");
            assertTrue(e.getMessage().contains("timed out after 1 s waiting for a lock on table " + table), e.getMessage());
            assertFalse(e.getMessage().contains("canceling statement"), e.getMessage());
            assertFalse(e.hint().contains("is running and reachable"), e.hint());
            locker.rollback();
        }
        assertEquals(1, store.currentRevision());
    }

    @Test
    void historyKeepsEveryRevisionNewestFirstAndRetentionKeepsTheNewestN() {
        JdbcConfigStore all = store(PostgresServer.newTable());
        for (long r = 1; r <= 5; r++) {
            all.save(config(r), r - 1);
        }
        assertEquals(List.of(5L, 4L, 3L), all.history(3).stream().map(StoredConfiguration::revision).toList());
        assertEquals("admin2", all.load(2).orElseThrow().savedBy());

        JdbcConfigStore two = JdbcConfigStore.builder(POSTGRES.dataSource()).table(PostgresServer.newTable())
                .createTableIfMissing(true).keepRevisions(2).build();
        for (long r = 1; r <= 5; r++) {
            two.save(config(r), r - 1);
        }
        assertEquals(List.of(5L, 4L), two.history(10).stream().map(StoredConfiguration::revision).toList());
        assertEquals(5, two.currentRevision());
    }

    @Test
    void aTableNameThatIsNotAPlainIdentifierIsRefused() {
        for (String bad : List.of("email_config; DROP TABLE users", "a b", "1table", "x.y.z", "\"quoted\"", "", "t--")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> JdbcConfigStore.builder(POSTGRES.dataSource()).table(bad));
            assertTrue(e.getMessage().contains("plain SQL identifier"), e.getMessage());
        }
        JdbcConfigStore.builder(POSTGRES.dataSource()).table("hub.email_config_2");
    }

    @Test
    void theShippedDdlCreatesAWorkingTableWithTheChosenName() throws Exception {
        String table = PostgresServer.newTable();
        String ddl = JdbcConfigStore.ddl(JdbcConfigStore.POSTGRESQL_DDL, table);
        assertTrue(ddl.contains("CREATE TABLE IF NOT EXISTS " + table + " ("), ddl);
        assertTrue(JdbcConfigStore.ddl(JdbcConfigStore.H2_DDL, table).contains(table));
        try (Connection c = POSTGRES.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(ddl);
        }
        JdbcConfigStore store = JdbcConfigStore.builder(POSTGRES.dataSource()).table(table).build();
        store.save(config(1), 0);
        assertEquals(config(1), store.load().orElseThrow());
    }

    @Test
    void aPoolWhoseMessageQuotesItsPasswordNeverLeaksItIntoTheFailureItsCausesOrTheLog() {
        String password = "P00l-Passw0rd";
        // A pool that words its failures as some do: with its URL, password included.
        javax.sql.DataSource leaky = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        throw new java.sql.SQLTransientConnectionException("HikariPool-1 - Connection is not available "
                                + "for jdbc:postgresql://db.internal/hub?user=hub&password=" + password, "08001",
                                new java.sql.SQLException("FATAL: authentication failed, password=" + password));
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        JdbcConfigStore store = JdbcConfigStore.builder(leaky).table("email_config").build();
        EmailConfigException e = assertThrows(EmailConfigException.class, () -> store.save(config(1), 0));
        assertEquals(Reason.STORE_FAILURE, e.reason());
        java.io.StringWriter trace = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(trace));
        for (String shown : List.of(e.getMessage(), e.hint(), trace.toString())) {
            assertFalse(shown.contains(password), "the pool's password in: " + shown.replace(password, "<SECRET>"));
        }
        assertTrue(e.getMessage().contains("email_config") && e.getMessage().contains("SQLState 08001")
                && e.getMessage().contains("SQLTransientConnectionException"), e.getMessage());
    }

    @Test
    void withoutTheTableASaveFailsNamingTheTableAndChangesNothing() {
        JdbcConfigStore store = JdbcConfigStore.builder(POSTGRES.dataSource()).table("no_such_table").build();
        EmailConfigException e = assertThrows(EmailConfigException.class, () -> store.save(config(1), 0));
        assertEquals(Reason.STORE_FAILURE, e.reason());
        assertTrue(e.getMessage().contains("no_such_table"), e.getMessage());
        assertFalse(e.getMessage().contains("password="), e.getMessage());
        // Nothing was created on the way: the table is still missing.
        assertThrows(EmailConfigException.class, store::load);
    }
}
