package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.core.testing.Drafts;
import org.emailconfig.core.testing.PostgresServer;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.ScriptedSmtpServer.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The outbox on a real PostgreSQL shared by three nodes: every notification goes out once, whichever node sends it. */
@Timeout(120)
class PostgresOutboxTest {

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    @Test
    void threeNodesOnOneTableSendEveryNotificationExactlyOnce() throws Exception {
        String table = PostgresServer.newTable();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().replyLate(Stage.END_OF_DATA, Duration.ofMillis(100))
                .start()) {
            JdbcOutbox writer = outbox(table, "writer");
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 45; i++) {
                ids.add(writer.enqueue(Notification.of(EmailAddress.of("user" + i + "@sandbox.test"), "Reset " + i,
                        "Your link")));
            }
            List<EmailConfigurationService> nodes = new ArrayList<>();
            try {
                for (int n = 1; n <= 3; n++) {
                    EmailConfigurationService node = EmailConfig.builder().inMemoryStore()
                            .outbox(outbox(table, "node-" + n)).build();
                    nodes.add(node);
                    node.save(new SandboxMailServer().admin(), Drafts.password(server.port(), "NONE", "outbox-pw"));
                }
                while (count(table, "SELECT COUNT(*) FROM " + table + " WHERE state = 'SENT'") < ids.size()) {
                    Thread.sleep(50);
                }
            } finally {
                nodes.forEach(EmailConfigurationService::close);
            }
            for (int i = 0; i < 45; i++) {
                String subject = "Subject: Reset " + i + "\r\n";
                assertEquals(1, server.messages().stream().filter(m -> m.contains(subject)).count(), subject);
            }
            assertTrue(senders(table).size() >= 2, "the nodes shared the work: " + senders(table));
        }
    }

    private static JdbcOutbox outbox(String table, String node) {
        return JdbcOutbox.builder(POSTGRES.dataSource()).table(table).createTableIfMissing(true).nodeName(node)
                .mailboxConnections(0).mailboxBudget(0, Duration.ofMinutes(1)).build();
    }

    @Test
    void threeNodesKeepOneMailboxsConnectionCeilingAndMessageBudgetTogether() throws Exception {
        String table = PostgresServer.newTable();
        // The server refuses a third connection with Exchange Online's 432, so a ceiling not kept would show.
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().throttleConnections(2)
                .replyLate(Stage.END_OF_DATA, Duration.ofMillis(50)).start()) {
            List<EmailConfigurationService> nodes = new ArrayList<>();
            JdbcOutbox first = null;
            try {
                for (int n = 1; n <= 3; n++) {
                    JdbcOutbox outbox = JdbcOutbox.builder(POSTGRES.dataSource()).table(table).createTableIfMissing(true)
                            .nodeName("node-" + n).mailboxConnections(2).mailboxBudget(3, Duration.ofSeconds(1)).build();
                    first = first == null ? outbox : first;
                    EmailConfigurationService node = EmailConfig.builder().inMemoryStore().outbox(outbox).build();
                    nodes.add(node);
                    node.save(new SandboxMailServer().admin(), Drafts.password(server.port(), "NONE", "outbox-pw"));
                }
                for (int i = 0; i < 12; i++) {
                    first.enqueue(Notification.of(EmailAddress.of("user" + i + "@sandbox.test"), "Burst " + i, "Link"));
                }
                while (count(table, "SELECT COUNT(*) FROM " + table + " WHERE state = 'SENT'") < 12) {
                    Thread.sleep(50);
                }
                assertEquals(0, count(table, "SELECT COUNT(*) FROM " + table + " WHERE state <> 'SENT'"));
            } finally {
                nodes.forEach(EmailConfigurationService::close);
            }
            assertTrue(server.peakConnections() <= 2, "at most 2 connections at once, saw " + server.peakConnections());
            assertEquals(0, server.commands().stream().filter(c -> c.startsWith("MAIL")).count()
                    - server.acceptedAt().size(), "no message was refused: none tried over the ceiling");
            // The three test emails of the saves do not count: they are not notifications.
            List<java.time.Instant> burst = server.acceptedAt().subList(3, server.acceptedAt().size());
            assertEquals(12, burst.size());
            for (int i = 0; i + 3 < burst.size(); i++) {
                Duration span = Duration.between(burst.get(i), burst.get(i + 3));
                assertTrue(span.compareTo(Duration.ofSeconds(1)) >= 0,
                        "4 messages within " + span.toMillis() + " ms: the budget is 3 per second");
            }
        }
    }

    private static long count(String table, String sql) throws SQLException {
        try (Connection c = POSTGRES.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(sql);
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Set<String> senders(String table) throws SQLException {
        Set<String> nodes = new HashSet<>();
        try (Connection c = POSTGRES.dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("SELECT DISTINCT lease_owner FROM " + table);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                nodes.add(rs.getString(1));
            }
        }
        return nodes;
    }
}
