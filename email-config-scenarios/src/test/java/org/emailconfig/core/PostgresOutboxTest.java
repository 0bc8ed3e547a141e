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
        return JdbcOutbox.builder(POSTGRES.dataSource()).table(table).createTableIfMissing(true).nodeName(node).build();
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
