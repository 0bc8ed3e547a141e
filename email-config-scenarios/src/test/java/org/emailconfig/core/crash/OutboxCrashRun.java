package org.emailconfig.core.crash;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.core.JdbcOutbox;
import org.emailconfig.core.testing.UrlDataSource;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;

/**
 * The outbox's crash test, a command (README, "Notifications that survive crashes"), not part of {@code mvn verify}:
 * N notifications (10,000 by default) in one PostgreSQL, three node processes delivering them, one node killed with
 * SIGKILL every 2 seconds and started again, the mail server dropping 5 % of its connections at a random stage.
 * At the end it counts, per notification, what the server accepted against what the outbox recorded: lost (recorded
 * sent but never accepted, or never finished), sent twice (accepted more than once without being marked "may have
 * been delivered"), and the "may have been delivered" ones. Exits 1 when anything was lost or sent twice.
 */
public final class OutboxCrashRun {

    private static final Pattern SUBJECT = Pattern.compile("Subject: crash (\\d+)\\r\\n");

    private OutboxCrashRun() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String table = "crash_outbox";
        Path data = java.nio.file.Files.createTempDirectory("outbox-crash-pg");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true)
                // PostgreSQL's default, which the embedded server turns off: marks are on disk before the end goes out.
                .setServerConfig("synchronous_commit", "on").start();
             ScriptedSmtpServer server = ScriptedSmtpServer.plain().dropConnections(0.05, 42).start()) {
            String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
            Properties p = new Properties();
            p.setProperty("user", "postgres");
            UrlDataSource ds = new UrlDataSource(url, p);
            try (EmailConfigurationService admin = OutboxNodeProcess.node(url, table, "setup")) {
                save(admin, server);
            }
            JdbcOutbox writer = JdbcOutbox.builder(ds).table(table).build();
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                writer.enqueue(Notification.of(EmailAddress.of("user" + i + "@sandbox.test"), "crash " + i, "Link " + i));
            }
            System.out.printf("wrote %d notifications in %d ms%n", count, (System.nanoTime() - started) / 1_000_000);
            List<Process> nodes = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                nodes.add(start(url, table, "node-" + n));
            }
            int kills = 0;
            long deliveryStarted = System.nanoTime();
            while (open(ds, table) > 0) {
                Thread.sleep(2_000);
                int victim = kills % 3;
                nodes.get(victim).destroyForcibly().waitFor();
                kills++;
                nodes.set(victim, start(url, table, "node-" + victim + "-" + kills));
                System.out.printf("killed node %d (kill %d); %d notifications not finished%n", victim, kills,
                        open(ds, table));
            }
            long seconds = Math.max(1, (System.nanoTime() - deliveryStarted) / 1_000_000_000);
            nodes.forEach(Process::destroyForcibly);
            report(ds, table, server, count, kills, seconds);
        }
    }

    private static void save(EmailConfigurationService admin, ScriptedSmtpServer server) {
        admin.save(new SandboxMailServer().admin(), ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                .set(PasswordSmtpConfiguration.SENDER_ADDRESS, "noreply@sandbox.test")
                .set(PasswordSmtpConfiguration.HOST, SandboxMailServer.HOST)
                .set(PasswordSmtpConfiguration.PORT, Integer.toString(server.port()))
                .set(PasswordSmtpConfiguration.ENCRYPTION, "NONE")
                .set(PasswordSmtpConfiguration.AUTHENTICATION, "false").build());
    }

    private static Process start(String url, String table, String name) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dslf4j.provider=" + System.getProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider"), "-cp",
                System.getProperty("java.class.path"), OutboxNodeProcess.class.getName(), url, table, name);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static long open(UrlDataSource ds, String table) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM " + table
                + " WHERE state IN ('PENDING', 'SENDING', 'END_OF_DATA')"); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void report(UrlDataSource ds, String table, ScriptedSmtpServer server, int count, int kills,
                               long seconds) throws Exception {
        Map<Integer, Integer> accepted = new HashMap<>();
        for (String m : server.messages()) {
            Matcher s = SUBJECT.matcher(m);
            if (s.find()) {
                accepted.merge(Integer.parseInt(s.group(1)), 1, Integer::sum);
            }
        }
        Map<Integer, String> states = new HashMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement("SELECT subject, state FROM "
                + table); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                states.put(Integer.parseInt(rs.getString(1).substring("crash ".length())), rs.getString(2));
            }
        }
        int lost = 0;
        int twice = 0;
        int maybe = 0;
        int maybeButAccepted = 0;
        int failed = 0;
        Set<Integer> twiceIds = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String state = states.getOrDefault(i, "MISSING");
            int got = accepted.getOrDefault(i, 0);
            switch (state) {
                case "SENT" -> {
                    if (got == 0) {
                        lost++;
                    } else if (got > 1) {
                        twice++;
                        twiceIds.add(i);
                    }
                }
                case "MAYBE_DELIVERED" -> {
                    maybe++;
                    maybeButAccepted += got > 0 ? 1 : 0;
                }
                case "FAILED" -> failed++;
                default -> lost++;
            }
        }
        System.out.printf("%n%d notifications, 3 nodes, %d kills (SIGKILL every 2 s), %d connections, 5 %% dropped; "
                        + "delivered in %d s%n", count, kills, server.connections(), seconds);
        System.out.printf("lost: %d%nsent twice (not marked 'may have been delivered'): %d %s%n"
                        + "may have been delivered: %d (of which the server had accepted %d)%nfailed: %d%n",
                lost, twice, twiceIds.isEmpty() ? "" : twiceIds, maybe, maybeButAccepted, failed);
        System.exit(lost == 0 && twice == 0 ? 0 : 1);
    }
}
