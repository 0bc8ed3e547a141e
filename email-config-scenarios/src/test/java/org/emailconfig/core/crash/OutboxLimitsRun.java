package org.emailconfig.core.crash;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.core.JdbcOutbox;
import org.emailconfig.core.testing.UrlDataSource;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;

/**
 * The outbox's limits at Exchange Online's scale, a command (README), not part of {@code mvn verify}: three nodes on
 * one PostgreSQL send N notifications (300 by default) from one mailbox with the default limits (3 connections, 30
 * messages a minute) to a server that refuses a fourth connection with {@code 432 4.3.2}. It reports the most
 * connections the server saw at once and the most messages it accepted in any 60 seconds; exits 1 when a limit was
 * broken. Takes about N / 30 minutes.
 */
public final class OutboxLimitsRun {

    private OutboxLimitsRun() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        Path data = java.nio.file.Files.createTempDirectory("outbox-limits-pg");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true)
                // PostgreSQL's default, which the embedded server turns off: marks are on disk before the end goes out.
                .setServerConfig("synchronous_commit", "on").start();
             ScriptedSmtpServer server = ScriptedSmtpServer.plain().throttleConnections(3).start()) {
            Properties p = new Properties();
            p.setProperty("user", "postgres");
            DataSource ds = new PooledDataSource(new UrlDataSource("jdbc:postgresql://127.0.0.1:" + pg.getPort()
                    + "/postgres", p));
            List<EmailConfigurationService> nodes = new ArrayList<>();
            try {
                for (int n = 0; n < 3; n++) {
                    EmailConfigurationService node = EmailConfig.builder().inMemoryStore().outbox(JdbcOutbox.builder(ds)
                            .createTableIfMissing(true).nodeName("node-" + n).build()).build();
                    nodes.add(node);
                    node.save(new SandboxMailServer().admin(), ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                            .set(PasswordSmtpConfiguration.SENDER_ADDRESS, "noreply@sandbox.test")
                            .set(PasswordSmtpConfiguration.HOST, SandboxMailServer.HOST)
                            .set(PasswordSmtpConfiguration.PORT, Integer.toString(server.port()))
                            .set(PasswordSmtpConfiguration.ENCRYPTION, "NONE")
                            .set(PasswordSmtpConfiguration.AUTHENTICATION, "false").build());
                }
                int tests = server.acceptedAt().size();
                JdbcOutbox writer = JdbcOutbox.builder(ds).build();
                long started = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    writer.enqueue(Notification.of(EmailAddress.of("user" + i + "@sandbox.test"), "limit " + i, "Link"));
                }
                long sent;
                while ((sent = sent(ds)) < count) {
                    Thread.sleep(1_000);
                    if (sent % 30 == 0) {
                        System.out.printf("%d of %d sent after %d s%n", sent, count,
                                (System.nanoTime() - started) / 1_000_000_000L);
                    }
                }
                List<Instant> accepted = server.acceptedAt().subList(tests, server.acceptedAt().size());
                int mostInAMinute = 0;
                for (int i = 0, j = 0; i < accepted.size(); i++) {
                    while (Duration.between(accepted.get(j), accepted.get(i)).compareTo(Duration.ofSeconds(60)) >= 0) {
                        j++;
                    }
                    mostInAMinute = Math.max(mostInAMinute, i - j + 1);
                }
                long refused = server.commands().stream().filter(c -> c.startsWith("MAIL")).count()
                        - server.acceptedAt().size();
                System.out.printf("%n%d notifications, 3 nodes, one mailbox, limits 3 connections and 30 a minute: "
                                + "all sent in %d s%nmost connections at once: %d%nmost messages in any 60 s: %d%n"
                                + "refused by the server (432 past 3 connections): %d%n", count,
                        (System.nanoTime() - started) / 1_000_000_000L, server.peakConnections(), mostInAMinute, refused);
                System.exit(server.peakConnections() <= 3 && mostInAMinute <= 30 && refused == 0 ? 0 : 1);
            } finally {
                nodes.forEach(EmailConfigurationService::close);
            }
        }
    }

    private static long sent(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT COUNT(*) FROM email_outbox WHERE state = 'SENT'"); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
