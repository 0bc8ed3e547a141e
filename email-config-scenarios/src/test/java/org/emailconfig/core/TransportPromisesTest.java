package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.Reason;
import org.emailconfig.core.testing.Drafts;
import org.emailconfig.core.testing.LegacyTlsCheck;
import org.emailconfig.core.testing.SocketFixtures;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.ScriptedSmtpServer.Stage;
import org.emailconfig.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport promises the README makes (STARTTLS really used, bounded timeouts, TLS 1.2+ only, host names
 * checked, connections closed, no reconnect loop), each as what a server or the admin would see. Every test
 * that guards a timeout runs under a preemptive JUnit timeout, so a regression fails it instead of hanging
 * the build.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TransportPromisesTest {

    private static final String PASSWORD_VALUE = "transport-pw-5521";

    private static EmailConfig.Builder engine() {
        return EmailConfig.builder().inMemoryStore().trustStore(TestCertificates.trustStore())
                .connectTimeout(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(2));
    }

    private static ConfigurationDraft draft(int port, String encryption) {
        return Drafts.password(port, encryption, PASSWORD_VALUE);
    }

    private static long count(ScriptedSmtpServer server, String verb) {
        return server.commands().stream().filter(c -> c.toUpperCase(java.util.Locale.ROOT).startsWith(verb)).count();
    }

    @Test
    void theStarttlsSettingUpgradesEveryConnectionBeforeAuthAndNotifications() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = engine().build()) {
            s.save(new SandboxMailServer().admin(), draft(server.port(), "STARTTLS"));
            s.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link"));

            // The server's log: the test email's and the notification's connection each said STARTTLS first.
            assertEquals(2, server.connections());
            assertEquals(2, server.tlsUpgrades(), server.commands().toString());
            List<String> log = server.commands();
            for (int i = 0, starttls = -1; i < log.size(); i++) {
                if (log.get(i).equals("STARTTLS")) {
                    starttls = i;
                }
                if (log.get(i).startsWith("AUTH ") || log.get(i).startsWith("MAIL ")) {
                    assertTrue(starttls >= 0 && starttls < i, "in clear before STARTTLS: " + log);
                }
            }
        }
    }

    @Test
    @Timeout(value = 15, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aPortWhoseHandshakeNeverCompletesFailsWithinTheConnectTimeout() throws Exception {
        try (SocketFixtures.Tarpit tarpit = new SocketFixtures.Tarpit();
             EmailConfigurationService s = engine().readTimeout(Duration.ofSeconds(8)).build()) {
            long start = System.nanoTime();
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class,
                    () -> s.save(new SandboxMailServer().admin(), draft(tarpit.port(), "STARTTLS")));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertEquals(Reason.CONNECTION_TIMEOUT, e.reason(), e.getMessage());
            assertEquals(DeliveryStep.CONNECT, e.step().orElseThrow());
            // The 1 s connect timeout, not the 8 s read timeout, and not Linux's two minutes of SYN retries.
            assertTrue(tookMs < 5_000, "took " + tookMs + " ms");
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aServerThatStopsReadingTheMessageFailsWithinTheWriteTimeout() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = engine().notificationRetryDeadline(Duration.ofMillis(100)).build()) {
            s.save(new SandboxMailServer().admin(), draft(server.port(), "STARTTLS"));
            server.stopReading(Stage.DATA);
            // Far more than the client's send buffer (at most 4 MiB here) and the server's 4 KiB receive buffer.
            String body = "x".repeat(76) + "\r\n";
            Notification big = Notification.of(EmailAddress.of("user@sandbox.test"), "Export", body.repeat(200_000));

            long start = System.nanoTime();
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> s.notifications().send(big));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertEquals(DeliveryStep.DATA, e.step().orElseThrow(), e.getMessage());
            assertTrue(e.temporary(), "the message was not accepted, so it may be tried again: " + e.reason());
            assertEquals(1, e.attempts());
            assertTrue(tookMs < 15_000, "took " + tookMs + " ms with a 2 s write timeout");
            // The shared write-timeout thread never keeps a host's JVM alive.
            List<Thread> timers = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("email-config-smtp-write-timeout")).toList();
            assertFalse(timers.isEmpty());
            assertTrue(timers.stream().allMatch(Thread::isDaemon), timers.toString());
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefusedOnBothEncryptionsBeforeAnyCredential() {
        for (String encryption : List.of("SSL_TLS", "STARTTLS")) {
            ScriptedSmtpServer scripted = encryption.equals("SSL_TLS") ? ScriptedSmtpServer.withImplicitTls()
                    : ScriptedSmtpServer.withStartTls();
            try (ScriptedSmtpServer server = scripted.tlsContext(TestCertificates.serverContextNamedElsewhere()).start();
                 EmailConfigurationService s = engine().build()) {
                DeliveryFailedException e = assertThrows(DeliveryFailedException.class,
                        () -> s.save(new SandboxMailServer().admin(), draft(server.port(), encryption)));

                // The certificate is trusted; only its name (mail.elsewhere.test, not 127.0.0.1) is wrong.
                assertEquals(Reason.TLS_HOSTNAME_MISMATCH, e.reason(), encryption + ": " + e.getMessage());
                assertEquals(0, count(server, "AUTH"), encryption + ": " + server.commands());
                assertEquals(0, server.messages().size());
            }
        }
    }

    @Test
    void everyConnectionIsClosedWithQuitAfterTheTestEmailAndWhenTheServiceCloses() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start()) {
            EmailConfigurationService s = engine().build();
            s.save(new SandboxMailServer().admin(), draft(server.port(), "STARTTLS"));
            assertEquals(1, count(server, "QUIT"), "the test email's connection is closed after the save");

            s.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link"));
            assertEquals(1, count(server, "QUIT"), "the notification's connection is kept open for the next one");
            s.close();

            assertEquals(2, server.connections());
            assertEquals(2, count(server, "QUIT"), "closing the service closes its kept-open connection");
        }
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFreshConnectionThatFailsIsTriedAgainOnlyAfterABackoffNeverInALoop() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = engine().notificationRetryDeadline(Duration.ofMillis(1_500)).build()) {
            s.save(new SandboxMailServer().admin(), draft(server.port(), "STARTTLS"));
            int before = server.connections();
            // Every connection from now on is dropped before the message is complete: temporary, and the
            // connection is gone. Only a kept-open connection gone stale may be reopened at once.
            server.reset(Stage.DATA);

            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> s.notifications()
                    .send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link")));

            assertEquals(Reason.CONNECTION_LOST, e.reason(), e.getMessage());
            assertTrue(e.attempts() >= 2 && e.attempts() <= 6, "backoff of 250 ms, 500 ms, ...: " + e.attempts());
            assertEquals(e.attempts(), server.connections() - before, "one new connection per attempt");
        }
    }

    @Test
    @Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aServerThatSpeaksOnlyTls11IsRefusedEvenWhereTheJdkWouldAllowIt(@TempDir Path dir) throws Exception {
        // JDK 17 disables TLS 1.0 and 1.1 in java.security; a host that re-enabled them (old servers) must
        // still not get them from us. A second JVM with them re-enabled proves it: there a plain JSSE client
        // does agree on TLS 1.1 with the server, and the engine refuses on both encryptions.
        Path security = dir.resolve("legacy-tls.security");
        Files.writeString(security, "jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, MD5withRSA, DH keySize < 1024, "
                + "EC keySize < 224, 3DES_EDE_CBC, anon, NULL\n");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.security.properties=" + security, "-cp", System.getProperty("java.class.path"),
                LegacyTlsCheck.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the second JVM did not finish");

        assertTrue(out.contains("control=TLSv1.1"), "TLS 1.1 must really be usable in the second JVM: " + out);
        assertTrue(out.contains("SSL_TLS=TLS_HANDSHAKE"), out);
        assertTrue(out.contains("STARTTLS=TLS_HANDSHAKE"), out);
        assertTrue(out.contains("authCommands=0"), out);
        assertFalse(out.contains(PASSWORD_VALUE), "no secret in the output");
        assertEquals(0, p.exitValue(), out);
    }
}
