package org.emailconfig.core.multinode;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.SaveOptions;
import org.emailconfig.api.TestPolicy;
import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.api.spi.StoredConfiguration;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.core.JdbcConfigStore;
import org.emailconfig.core.testing.PostgresServer;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The figures in the issue note, on a real PostgreSQL: how long node B takes to follow node A (polling and
 * push), a save's time, and notification throughput with the database up and down. Not part of the build:
 * {@code mvn -B -pl email-config-core test -Dtest=MultiNodeMeasurements -Dmeasure=true}
 */
@EnabledIfSystemProperty(named = "measure", matches = "true")
class MultiNodeMeasurements {

    static final String NOREPLY = "noreply@sandbox.test";

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer().withMailbox(NOREPLY, "measure-password");

    private EmailConfigurationService node(String table, boolean listen, Duration refresh) {
        return node(jdbc(table, listen), refresh);
    }

    private static JdbcConfigStore jdbc(String table, boolean listen) {
        return JdbcConfigStore.builder(POSTGRES.dataSource()).table(table).createTableIfMissing(true).listen(listen)
                .build();
    }

    private static EmailConfigurationService node(ConfigStore store, Duration refresh) {
        return EmailConfig.builder().store(store).secretKey(new byte[32]).refreshInterval(refresh).build();
    }

    /** Notes when a node's store committed a revision, and when the node first loaded each (then it switches). */
    private static final class Recording implements ConfigStore {
        final ConfigStore delegate;
        final Map<Long, Long> firstLoaded = new ConcurrentHashMap<>();
        final Map<Long, Long> committed = new ConcurrentHashMap<>();

        Recording(ConfigStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<StoredConfiguration> load() {
            Optional<StoredConfiguration> c = delegate.load();
            c.ifPresent(x -> firstLoaded.putIfAbsent(x.revision(), System.nanoTime()));
            return c;
        }

        @Override
        public void save(StoredConfiguration configuration, long expectedRevision) {
            delegate.save(configuration, expectedRevision);
            committed.put(configuration.revision(), System.nanoTime());
        }

        @Override
        public long currentRevision() {
            return delegate.currentRevision();
        }

        @Override
        public Optional<Subscription> subscribe(RevisionListener listener) {
            return delegate.subscribe(listener);
        }
    }

    private ConfigurationDraft draft(String marker) {
        return mail.passwordDraft(NOREPLY).toBuilder().set(PasswordSmtpConfiguration.SENDER_NAME, marker).build();
    }

    private String send(EmailConfigurationService node) throws Exception {
        int before = mail.receivedMessages().size();
        node.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link"));
        MimeMessage m = mail.awaitMessages(before + 1).get(before);
        return ((InternetAddress) m.getFrom()[0]).getPersonal();
    }

    /** From A's store committing a revision to B loading it. */
    private double[] followTimes(boolean listen, Duration refresh, int rounds) throws Exception {
        String table = PostgresServer.newTable();
        double[] ms = new double[rounds];
        Recording bStore = new Recording(jdbc(table, listen));
        Recording aStore = new Recording(jdbc(table, listen));
        try (EmailConfigurationService a = node(aStore, refresh);
             EmailConfigurationService b = node(bStore, refresh)) {
            a.save(mail.admin(), draft("r0"), SaveOptions.defaults().withTestPolicy(TestPolicy.SAVE_THEN_TEST));
            for (int i = 1; i <= rounds; i++) {
                long revision = a.save(mail.admin(), draft("r" + i),
                        SaveOptions.defaults().withTestPolicy(TestPolicy.SAVE_THEN_TEST)).revision();
                while (!bStore.firstLoaded.containsKey(revision)) {
                    Thread.sleep(1);
                }
                ms[i - 1] = (bStore.firstLoaded.get(revision) - aStore.committed.get(revision)) / 1e6;
                // Desynchronise from the poll phase, so the polling figures spread over the interval.
                Thread.sleep(137L * i % 1000);
            }
            if (!("r" + rounds).equals(send(b))) {
                throw new AssertionError("B does not send with the revision it loaded");
            }
        }
        return ms;
    }

    private static String stats(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return String.format("median %.1f ms, max %.1f ms (n=%d)", s[s.length / 2], s[s.length - 1], s.length);
    }

    @Test
    void measure() throws Exception {
        System.out.println("[measure] follow, polling every 2 s (no NOTIFY): " + stats(followTimes(false, Duration.ofSeconds(2), 10)));
        System.out.println("[measure] follow, polling every 5 s (default, no NOTIFY): " + stats(followTimes(false, Duration.ofSeconds(5), 6)));
        System.out.println("[measure] follow, NOTIFY (poll every hour): " + stats(followTimes(true, Duration.ofHours(1), 20)));

        String table = PostgresServer.newTable();
        try (EmailConfigurationService a = node(table, true, Duration.ofSeconds(5))) {
            a.save(mail.admin(), draft("warm"));
            double[] saves = new double[20];
            for (int i = 0; i < saves.length; i++) {
                long start = System.nanoTime();
                a.save(mail.admin(), draft("s" + i), SaveOptions.defaults().withTestPolicy(TestPolicy.SAVE_THEN_TEST));
                saves[i] = (System.nanoTime() - start) / 1e6;
            }
            System.out.println("[measure] save incl. test email on PostgreSQL: " + stats(saves));
            JdbcConfigStore raw = JdbcConfigStore.builder(POSTGRES.dataSource()).table(table).build();
            double[] inserts = new double[50];
            for (int i = 0; i < inserts.length; i++) {
                long rev = raw.currentRevision();
                org.emailconfig.api.spi.StoredConfiguration c = raw.load().orElseThrow();
                long start = System.nanoTime();
                raw.save(new org.emailconfig.api.spi.StoredConfiguration(c.type(), rev + 1, c.settings(),
                        c.sealedSecrets(), c.savedAt(), c.savedBy()), rev);
                inserts[i] = (System.nanoTime() - start) / 1e6;
            }
            System.out.println("[measure] store.save alone (CAS insert + NOTIFY, new connection each): " + stats(inserts));

        }

        // Throughput against a sink that answers at once (GreenMail stalls each reply on delayed ACK).
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.plain().start();
             EmailConfigurationService node = node(jdbc(PostgresServer.newTable(), true), Duration.ofMillis(100))) {
            node.save(mail.admin(), mail.passwordDraft(NOREPLY).toBuilder()
                    .set(PasswordSmtpConfiguration.PORT, Integer.toString(sink.port())).build());
            for (int round = 0; round < 2; round++) {
                System.out.printf("[measure] notifications, database up: %.0f msg/s%n", throughput(node));
                POSTGRES.stop();
                Thread.sleep(300);
                System.out.printf("[measure] notifications, database down: %.0f msg/s%n", throughput(node));
                POSTGRES.start();
                Thread.sleep(300);
            }
        }
    }

    private double throughput(EmailConfigurationService node) throws Exception {
        for (int i = 0; i < 500; i++) {
            node.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link"));
        }
        int n = 5000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            node.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link"));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return n / seconds;
    }
}
