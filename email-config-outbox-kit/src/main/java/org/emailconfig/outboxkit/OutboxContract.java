package org.emailconfig.outboxkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import org.apiguardian.api.API;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.OutboxStatus;
import org.emailconfig.api.Reason;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.core.JdbcOutbox;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.ScriptedSmtpServer.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The promises of {@link JdbcOutbox} on a host's own database. Extend it with your {@link DataSource}; each test
 * uses a table of its own, created by {@link #createTable} (the shipped DDL on PostgreSQL and H2; override it with
 * yours on another database). The tests run real nodes (services of the engine) against the testkit's scripted SMTP
 * server on 127.0.0.1, and read the table only to wait for a state.
 *
 * <pre>{@code
 * class OurOutboxTest extends OutboxContract {
 *     protected DataSource dataSource() { return ourTestDatabase(); }
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.3")
@Timeout(120)
public abstract class OutboxContract {

    private static final AtomicInteger TABLES = new AtomicInteger();
    private String table = "";

    /**
     * The host's database. Called once per test; the same database for every call is fine (each test has its own
     * table).
     *
     * @return a data source whose connections commit on their own unless told otherwise
     * @throws Exception when it cannot be had
     */
    protected abstract DataSource dataSource() throws Exception;

    /**
     * Creates the outbox's tables under a name. By default nothing: the outbox creates them with the shipped DDL
     * ({@link JdbcOutbox.Builder#createTableIfMissing}), which PostgreSQL and H2 take; on another database run your
     * own DDL here, and override {@link #outbox} to leave creation off.
     *
     * @param dataSource the host's database
     * @param table      the table name; the limits' tables are named after it
     * @throws SQLException when the DDL fails
     */
    protected void createTable(DataSource dataSource, String table) throws SQLException {
    }

    /**
     * The outbox of one node, as the host would build it; override to add the host's own options.
     *
     * @param dataSource the host's database
     * @param table      this test's table
     * @param node       the node's name
     * @return a builder, with a short lease so a node that stops hands its rows on within the test
     */
    protected JdbcOutbox.Builder outbox(DataSource dataSource, String table, String node) {
        return JdbcOutbox.builder(dataSource).table(table).createTableIfMissing(true).nodeName(node)
                .lease(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(200))
                .mailboxConnections(0).mailboxBudget(0, Duration.ofMinutes(1));
    }

    @BeforeEach
    void newTable() throws Exception {
        table = "outbox_kit_" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
        createTable(dataSource(), table);
    }

    private EmailConfigurationService node(JdbcOutbox outbox, ScriptedSmtpServer server) {
        EmailConfigurationService s = EmailConfig.builder().inMemoryStore().connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(2)).closeDrainTimeout(Duration.ofMillis(100)).outbox(outbox).build();
        s.save(new SandboxMailServer().admin(), password(server));
        return s;
    }

    private static org.emailconfig.api.ConfigurationDraft password(ScriptedSmtpServer server) {
        return org.emailconfig.api.ConfigurationDraft.builder(org.emailconfig.api.PasswordSmtpConfiguration.TYPE)
                .set(org.emailconfig.api.PasswordSmtpConfiguration.SENDER_ADDRESS, "noreply@sandbox.test")
                .set(org.emailconfig.api.PasswordSmtpConfiguration.HOST, SandboxMailServer.HOST)
                .set(org.emailconfig.api.PasswordSmtpConfiguration.PORT, Integer.toString(server.port()))
                .set(org.emailconfig.api.PasswordSmtpConfiguration.ENCRYPTION, "NONE")
                .set(org.emailconfig.api.PasswordSmtpConfiguration.AUTHENTICATION, "false").build();
    }

    private static Notification to(String user) {
        return Notification.of(EmailAddress.of(user + "@sandbox.test"), "Kit " + user, "Your link");
    }

    private static long received(ScriptedSmtpServer server, String user) {
        String subject = "Subject: Kit " + user + "\r\n";
        return server.messages().stream().filter(m -> m.contains(subject)).count();
    }

    private long rows(String where) throws Exception {
        try (Connection c = dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE " + where);
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void await(Check condition) throws Exception {
        while (!condition.holds()) {
            Thread.sleep(20);
        }
    }

    /** A condition that may read the database. */
    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    @Test
    @DisplayName("a notification written in the host's transaction goes out when it commits, never when it rolls back")
    void theHostsTransactionDecides() throws Exception {
        DataSource ds = dataSource();
        JdbcOutbox outbox = outbox(ds, table, "node-a").build();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start();
             EmailConfigurationService node = node(outbox, server);
             Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            outbox.enqueue(c, to("committed"));
            c.commit();
            outbox.enqueue(c, to("rolled-back"));
            c.rollback();
            outbox.enqueue(to("after"));
            await(() -> rows("state = 'SENT'") == 2);
            assertEquals(1, received(server, "committed"));
            assertEquals(0, received(server, "rolled-back"));
            assertEquals(2, rows("1 = 1"), "the rolled-back row never existed");
        }
    }

    @Test
    @DisplayName("two nodes on one table send every notification exactly once")
    void everyNotificationOnce() throws Exception {
        DataSource ds = dataSource();
        JdbcOutbox writer = outbox(ds, table, "writer").build();
        for (int i = 0; i < 20; i++) {
            writer.enqueue(to("user" + i));
        }
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().replyLate(Stage.END_OF_DATA, Duration.ofMillis(20))
                .start();
             EmailConfigurationService a = node(outbox(ds, table, "node-a").build(), server);
             EmailConfigurationService b = node(outbox(ds, table, "node-b").build(), server)) {
            await(() -> rows("state = 'SENT'") == 20);
            for (int i = 0; i < 20; i++) {
                assertEquals(1, received(server, "user" + i), "user" + i);
            }
        }
    }

    @Test
    @DisplayName("a refused notification is failed with its reason, step and attempts, for the administrator")
    void refusedIsFailed() throws Exception {
        DataSource ds = dataSource();
        JdbcOutbox outbox = outbox(ds, table, "node-a").build();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start();
             EmailConfigurationService node = node(outbox, server)) {
            server.refuseRecipient("refused@sandbox.test", "550 5.1.1 User unknown");
            long id = outbox.enqueue(to("refused"));
            await(() -> rows("state = 'FAILED'") == 1);
            OutboxStatus status = node.outbox(new SandboxMailServer().admin()).orElseThrow();
            OutboxStatus.Entry failed = status.attention().get(0);
            assertEquals(id, failed.id());
            assertEquals(Reason.RECIPIENT_REJECTED, failed.reason());
            assertEquals(1, failed.attempts());
        }
    }

    @Test
    @DisplayName("a node that stops after the end of a message went out leaves it 'may have been delivered', never resent")
    void stoppedAfterTheEnd() throws Exception {
        DataSource ds = dataSource();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start()) {
            EmailConfigurationService first = node(outbox(ds, table, "node-a").build(), server);
            server.hang(Stage.END_OF_DATA);
            JdbcOutbox writer = outbox(ds, table, "writer").build();
            writer.enqueue(to("stopped"));
            await(() -> rows("state = 'END_OF_DATA'") == 1);
            first.close();
            // The other node sends with a server of its own, so its save's test email does not meet the hang.
            try (ScriptedSmtpServer other = ScriptedSmtpServer.plain().start();
                 EmailConfigurationService second = node(outbox(ds, table, "node-b").build(), other)) {
                await(() -> rows("state = 'MAYBE_DELIVERED'") == 1);
                assertEquals(0, rows("state NOT IN ('MAYBE_DELIVERED')"), "nothing else happened to it");
                long tries = server.commands().stream().filter(c -> c.equalsIgnoreCase("RCPT TO:<stopped@sandbox.test>"))
                        .count();
                assertEquals(1, tries, "never sent again");
            }
        }
    }

    @Test
    @DisplayName("two nodes keep one mailbox's budget together")
    void budgetTogether() throws Exception {
        DataSource ds = dataSource();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start()) {
            List<EmailConfigurationService> nodes = new ArrayList<>();
            try {
                for (String name : List.of("node-a", "node-b")) {
                    nodes.add(node(outbox(ds, table, name).mailboxBudget(2, Duration.ofSeconds(1)).build(), server));
                }
                int before = server.acceptedAt().size();
                JdbcOutbox writer = outbox(ds, table, "writer").build();
                for (int i = 0; i < 6; i++) {
                    writer.enqueue(to("burst" + i));
                }
                await(() -> rows("state = 'SENT'") == 6);
                List<Instant> burst = server.acceptedAt().subList(before, server.acceptedAt().size());
                assertEquals(6, burst.size());
                for (int i = 0; i + 2 < burst.size(); i++) {
                    Duration span = Duration.between(burst.get(i), burst.get(i + 2));
                    assertTrue(span.compareTo(Duration.ofSeconds(1)) >= 0,
                            "3 messages within " + span.toMillis() + " ms: the budget is 2 per second");
                }
            } finally {
                nodes.forEach(EmailConfigurationService::close);
            }
        }
    }
}
