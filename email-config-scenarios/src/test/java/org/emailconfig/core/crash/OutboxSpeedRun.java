package org.emailconfig.core.crash;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import com.sun.management.OperatingSystemMXBean;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.core.JdbcOutbox;
import org.emailconfig.core.OutboxStatementFloor;
import org.emailconfig.core.testing.UrlDataSource;
import org.emailconfig.testkit.SandboxMailServer;

/**
 * The outbox's figures, a command (README), not part of {@code mvn verify}, on an embedded PostgreSQL with a
 * connection pool and Postfix's {@code smtp-sink} on 127.0.0.1:
 * <ol>
 *   <li>what writing a notification adds to a host's transaction (median and p99 of the commit-included time, with
 *       and without);</li>
 *   <li>what the outbox's own statements cost the database and the driver per message, with nothing else running
 *       ({@link OutboxStatementFloor}): the least a delivery from the outbox can cost;</li>
 *   <li>delivery throughput from the outbox with 1 and 3 nodes against the direct pooled send of one node in the
 *       same run, every node with 3 connections, the mailbox limits off; with the CPU time per message of this JVM,
 *       of PostgreSQL and of smtp-sink over each interval, since all of them share the machine's cores.</li>
 * </ol>
 */
public final class OutboxSpeedRun {

    private OutboxSpeedRun() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        // The tests' SLF4J provider records every line and turns java.util.logging to ALL, which switches on
        // Angus's protocol trace: a run with it measures the capture. SLF4J falls back to it, with one line on
        // stderr, when the provider named in slf4j.provider cannot be loaded.
        String factory = org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName();
        if (!factory.equals("org.slf4j.helpers.NOPLoggerFactory")) {
            System.err.println("Logging goes to " + factory + ", not nowhere: run with "
                    + "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.exit(2);
        }
        Path data = Files.createTempDirectory("outbox-speed-pg");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of("smtp-sink"));
        if ("root".equals(System.getProperty("user.name"))) {
            // smtp-sink refuses to keep super-user privileges after binding.
            command.addAll(List.of("-u", "postfix"));
        }
        command.addAll(List.of("127.0.0.1:" + port, "256"));
        Process sink = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true)
                // PostgreSQL's default, which the embedded server turns off: marks are on disk before the end goes out.
                .setServerConfig("synchronous_commit", "on").start()) {
            Properties p = new Properties();
            p.setProperty("user", "postgres");
            DataSource ds = new PooledDataSource(new UrlDataSource("jdbc:postgresql://127.0.0.1:" + pg.getPort()
                    + "/postgres", p));
            awaitPort(sink, port);
            enqueueCost(ds);
            statementFloor(ds, messages);
            // Rounds interleave the three runs so that neither side has the warmer JIT or the quieter minute; the
            // direct send's ratio is taken within each round.
            System.out.printf("%nthroughput, %d messages of ~1 KiB to smtp-sink, 3 connections per node, limits off:%n",
                    messages);
            double[] oneRatio = new double[rounds];
            double[] threeRatio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                Run directRun = direct(port, messages);
                Run oneRun = fromOutbox(ds, port, messages, 1, "one_" + r);
                Run threeRun = fromOutbox(ds, port, messages, 3, "three_" + r);
                double direct = directRun.rate();
                double one = oneRun.rate();
                double three = threeRun.rate();
                oneRatio[r] = one / direct;
                threeRatio[r] = three / direct;
                System.out.printf("  round %d: direct pooled send (1 node, 3 threads) %,.0f msg/s; outbox 1 node %,.0f "
                        + "(%.2fx); outbox 3 nodes %,.0f (%.2fx)%n", r + 1, direct, one, oneRatio[r], three, threeRatio[r]);
                System.out.printf("    CPU ms per message (java / postgres / smtp-sink): direct %s; 1 node %s; 3 nodes %s%n",
                        directRun.cpu(), oneRun.cpu(), threeRun.cpu());
            }
            Arrays.sort(oneRatio);
            Arrays.sort(threeRatio);
            System.out.printf("  median of %d rounds: outbox 1 node %.2fx direct, 3 nodes %.2fx direct%n", rounds,
                    oneRatio[rounds / 2], threeRatio[rounds / 2]);
        } finally {
            sink.destroyForcibly();
        }
    }

    /**
     * The CPU time so far of this JVM, of PostgreSQL's processes and of smtp-sink, read from /proc (Linux): where a
     * message's cost goes when every part shares the machine's cores. A PostgreSQL backend that ended meanwhile is
     * missed, which the pool's kept connections make rare.
     */
    private record CpuUse(long javaNanos, long postgresTicks, long sinkTicks) {
        static CpuUse now() {
            long jvm = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
            long pg = 0;
            long sink = 0;
            File[] procs = new File("/proc").listFiles((d, n) -> n.chars().allMatch(Character::isDigit));
            for (File proc : procs == null ? new File[0] : procs) {
                try {
                    String stat = Files.readString(proc.toPath().resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    if (name.equals("postgres")) {
                        pg += ticks;
                    } else if (name.equals("smtp-sink")) {
                        sink += ticks;
                    }
                } catch (IOException | RuntimeException gone) {
                    // The process ended while being read.
                }
            }
            return new CpuUse(jvm, pg, sink);
        }

        /** Per message, in ms, since an earlier reading; /proc counts in clock ticks of 1/100 s (Linux's USER_HZ). */
        String minus(CpuUse earlier, int messages) {
            return String.format("%.3f / %.3f / %.3f", (javaNanos - earlier.javaNanos) / 1e6 / messages,
                    (postgresTicks - earlier.postgresTicks) * 10.0 / messages, (sinkTicks - earlier.sinkTicks) * 10.0 / messages);
        }
    }

    private static void awaitPort(Process sink, int port) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException e) {
                if (!sink.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("smtp-sink did not start on 127.0.0.1:" + port
                            + " (Debian's postfix package has it; apt-get install postfix)");
                }
                Thread.sleep(50);
            }
        }
    }

    private static Notification message(int i) {
        return Notification.of(EmailAddress.of("user" + i + "@sandbox.test"), "speed " + i, "x".repeat(900));
    }

    private static EmailConfigurationService node(int port, JdbcOutbox outbox) {
        EmailConfig.Builder b = EmailConfig.builder().inMemoryStore().notificationConnections(3);
        if (outbox != null) {
            b.outbox(outbox);
        }
        EmailConfigurationService s = b.build();
        s.save(new SandboxMailServer().admin(), ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                .set(PasswordSmtpConfiguration.SENDER_ADDRESS, "noreply@sandbox.test")
                .set(PasswordSmtpConfiguration.HOST, SandboxMailServer.HOST)
                .set(PasswordSmtpConfiguration.PORT, Integer.toString(port))
                .set(PasswordSmtpConfiguration.ENCRYPTION, "NONE")
                .set(PasswordSmtpConfiguration.AUTHENTICATION, "false").build());
        return s;
    }

    private static void enqueueCost(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE reset_token (username VARCHAR(50), token VARCHAR(50))");
        }
        JdbcOutbox outbox = JdbcOutbox.builder(ds).table("speed_enqueue").createTableIfMissing(true).build();
        outbox.enqueue(message(-1));
        int rounds = 2_000;
        long[] without = new long[rounds];
        long[] with = new long[rounds];
        for (int warm = 0; warm < 2; warm++) {
            for (int i = 0; i < rounds; i++) {
                without[i] = transaction(ds, null, i);
                with[i] = transaction(ds, outbox, i);
            }
        }
        Arrays.sort(without);
        Arrays.sort(with);
        System.out.printf("enqueue in the host's transaction (insert + commit), %d rounds each, interleaved:%n", rounds);
        System.out.printf("  without: median %.3f ms, p99 %.3f ms%n", without[rounds / 2] / 1e6,
                without[rounds * 99 / 100] / 1e6);
        System.out.printf("  with:    median %.3f ms, p99 %.3f ms (+%.3f ms median)%n", with[rounds / 2] / 1e6,
                with[rounds * 99 / 100] / 1e6, (with[rounds / 2] - without[rounds / 2]) / 1e6);
    }

    private static void statementFloor(DataSource ds, int messages) throws Exception {
        List<OutboxStatementFloor.Cost> c = OutboxStatementFloor.measure(ds, messages, OutboxSpeedRun::message,
                () -> CpuUse.now().postgresTicks() * 10.0, () -> CpuUse.now().javaNanos() / 1e6);
        System.out.printf("%nthe outbox's statements alone, %d rows, one thread, no mail (ms per message: PostgreSQL CPU "
                + "/ this JVM's CPU / wall):%n", messages);
        System.out.printf("  claim, 3 rows a statement:       %s%n", c.get(0));
        System.out.printf("  + end-of-data mark, one each:    %s%n", c.get(1).minus(c.get(0)));
        System.out.printf("  + sent record, 3 rows a commit:  %s%n", c.get(2).minus(c.get(1)));
        System.out.printf("  all three:                       %s%n", c.get(2));
    }

    private static long transaction(DataSource ds, JdbcOutbox outbox, int i) throws Exception {
        long started = System.nanoTime();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement st = c.prepareStatement("INSERT INTO reset_token VALUES (?, ?)")) {
                st.setString(1, "user" + i);
                st.setString(2, "token" + i);
                st.executeUpdate();
            }
            if (outbox != null) {
                outbox.enqueue(c, message(i));
            }
            c.commit();
        }
        return System.nanoTime() - started;
    }

    /** One timed run: messages per second, and the CPU each message took over the same interval. */
    private record Run(double rate, String cpu) {
    }

    private static Run direct(int port, int messages) throws Exception {
        try (EmailConfigurationService s = node(port, null)) {
            // As many warm-up messages as a node's first round from the outbox has before its clock matters.
            for (int i = 0; i < 2_000; i++) {
                s.notifications().send(message(i));
            }
            AtomicInteger next = new AtomicInteger();
            ExecutorService threads = Executors.newFixedThreadPool(3);
            CpuUse before = CpuUse.now();
            long started = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                done.add(threads.submit(() -> {
                    for (int i = next.getAndIncrement(); i < messages; i = next.getAndIncrement()) {
                        s.notifications().send(message(i));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double rate = messages / ((System.nanoTime() - started) / 1e9);
            String cpu = CpuUse.now().minus(before, messages);
            threads.shutdown();
            return new Run(rate, cpu);
        }
    }

    /** The nodes start first; the messages arrive in one committed transaction; the clock runs from the commit. */
    private static Run fromOutbox(DataSource ds, int port, int messages, int nodes, String table) throws Exception {
        String name = "speed_" + table;
        JdbcOutbox writer = outbox(ds, name, "writer");
        List<EmailConfigurationService> running = new ArrayList<>();
        try {
            for (int n = 0; n < nodes; n++) {
                running.add(node(port, outbox(ds, name, "node-" + n)));
            }
            long started;
            CpuUse before;
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                for (int i = 0; i < messages; i++) {
                    writer.enqueue(c, message(i));
                }
                c.commit();
                started = System.nanoTime();
                before = CpuUse.now();
            }
            while (sent(ds, name) < messages) {
                Thread.sleep(50);
            }
            double rate = messages / ((System.nanoTime() - started) / 1e9);
            return new Run(rate, CpuUse.now().minus(before, messages));
        } finally {
            running.forEach(EmailConfigurationService::close);
        }
    }

    private static JdbcOutbox outbox(DataSource ds, String table, String node) {
        return JdbcOutbox.builder(ds).table(table).createTableIfMissing(true).nodeName(node)
                .pollInterval(Duration.ofMillis(100)).mailboxConnections(0).mailboxBudget(0, Duration.ofMinutes(1))
                .build();
    }

    private static long sent(DataSource ds, String table) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM " + table
                + " WHERE state = 'SENT'"); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
