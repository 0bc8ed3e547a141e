package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.Reason;
import org.emailconfig.core.testing.SocketFixtures;
import org.emailconfig.testkit.CountingRelay;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.TestCertificates;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.emailconfig.api.PasswordSmtpConfiguration.ENCRYPTION;
import static org.emailconfig.api.PasswordSmtpConfiguration.HOST;
import static org.emailconfig.api.PasswordSmtpConfiguration.PORT;

/** The SMTP engine's safe defaults, against real servers and sockets on loopback. */
class SmtpEngineTest {

    static final String NOREPLY = "noreply@sandbox.test";

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer().withMailbox(NOREPLY, "pw-noreply-7781");

    private static EmailConfigurationService service(EmailConfig.Builder b) {
        return b.inMemoryStore().build();
    }

    @Test
    void smtpsWithDefaultTrustFailsWithACertificateReason() {
        try (EmailConfigurationService s = service(EmailConfig.builder())) {
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class,
                    () -> s.save(mail.admin(), mail.smtpsDraft(NOREPLY)));
            assertEquals(Reason.TLS_CERTIFICATE_UNTRUSTED, e.reason(), e.getMessage());
            assertEquals(0, mail.receivedMessages().size());
        }
    }

    @Test
    void smtpsSucceedsWithTheExplicitlyTrustedTestCertificateAndHostNameChecked() {
        try (EmailConfigurationService s = service(EmailConfig.builder().trustStore(TestCertificates.trustStore()))) {
            s.save(mail.admin(), mail.smtpsDraft(NOREPLY));
            assertEquals(1, mail.awaitMessages(1).size());
        }
    }

    @Test
    void trustedCertificateForAnotherHostNameFailsWithAHostNameReason() throws Exception {
        // The certificate names 127.0.0.1 and localhost; reaching the same server as 127.0.0.2 must fail.
        ConfigurationDraft viaOtherName = mail.smtpsDraft(NOREPLY).toBuilder().set(HOST, "127.0.0.2").build();
        boolean secondLoopbackUsable;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress("127.0.0.2", 0));
            secondLoopbackUsable = true;
        } catch (java.io.IOException notRoutable) {
            secondLoopbackUsable = false;
        }
        Assumptions.assumeTrue(secondLoopbackUsable, "127.0.0.2 is not usable on this machine");
        try (CountingRelay relay = new CountingRelay(mail.smtpsPort(), "127.0.0.2");
             EmailConfigurationService s = service(EmailConfig.builder().trustStore(TestCertificates.trustStore()))) {
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> s.save(mail.admin(),
                    viaOtherName.toBuilder().set(PORT, Integer.toString(relay.port())).build()));
            assertEquals(Reason.TLS_HOSTNAME_MISMATCH, e.reason(), e.getMessage());
            assertEquals(1, relay.connections());
        }
    }

    @Test
    void starttlsUpgradesBeforeCredentialsAreSentWithTheHostNameChecked() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = service(EmailConfig.builder().trustStore(TestCertificates.trustStore()))) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY).toBuilder().set(ENCRYPTION, "STARTTLS")
                    .set(PORT, Integer.toString(server.port())).build());

            assertEquals(1, server.tlsUpgrades());
            assertEquals(1, server.messages().size());
            List<String> commands = server.commands();
            int starttls = commands.indexOf("STARTTLS");
            int auth = indexOfPrefix(commands, "AUTH ");
            assertTrue(starttls >= 0 && auth > starttls, "AUTH must follow STARTTLS: " + commands);
        }
    }

    @Test
    void starttlsWithAnUntrustedCertificateFailsAndNoCredentialIsSent() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = service(EmailConfig.builder())) {
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> s.save(mail.admin(),
                    mail.passwordDraft(NOREPLY).toBuilder().set(ENCRYPTION, "STARTTLS")
                            .set(PORT, Integer.toString(server.port())).build()));

            assertEquals(Reason.TLS_CERTIFICATE_UNTRUSTED, e.reason(), e.getMessage());
            assertEquals(-1, indexOfPrefix(server.commands(), "AUTH "), "no AUTH before a trusted TLS session");
        }
    }

    @Test
    void aServerThatRequiresAuthenticationWhenItIsOffSaysSo() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain()
                .reply(ScriptedSmtpServer.Stage.MAIL, "530 5.7.57 Client not authenticated to send mail").start();
             EmailConfigurationService s = service(EmailConfig.builder())) {
            ConfigurationDraft noAuth = mail.passwordDraft(NOREPLY).toBuilder().set(PORT, Integer.toString(server.port()))
                    .set("authentication", "false").build();

            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> s.save(mail.admin(), noAuth));

            assertEquals(Reason.AUTH_REQUIRED, e.reason(), e.getMessage());
            assertTrue(e.hint().contains("switch SMTP authentication on"), e.hint());
            assertTrue(e.serverReply().orElseThrow().startsWith("530 5.7.57"), e.serverReply().orElseThrow());
        }
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void starttlsIsRequiredSoAServerWithoutItFailsAndNothingIsSentInClear() {
        try (EmailConfigurationService s = service(EmailConfig.builder())) {
            ConfigurationDraft starttls = mail.passwordDraft(NOREPLY).toBuilder().set(ENCRYPTION, "STARTTLS").build();

            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> s.save(mail.admin(), starttls));

            assertEquals(Reason.STARTTLS_UNAVAILABLE, e.reason());
            assertEquals(0, mail.receivedMessages().size());
        }
    }

    @Test
    void aServerThatAcceptsButNeverAnswersFailsWithinTheReadTimeout() throws Exception {
        try (SocketFixtures.SilentServer silent = new SocketFixtures.SilentServer();
             EmailConfigurationService s = service(EmailConfig.builder().readTimeout(Duration.ofMillis(700)))) {
            ConfigurationDraft draft = mail.passwordDraft(NOREPLY).toBuilder()
                    .set(PORT, Integer.toString(silent.port())).build();
            long start = System.nanoTime();

            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> s.save(mail.admin(), draft));

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(Reason.READ_TIMEOUT, e.reason(), e.getMessage());
            assertEquals(1, silent.connections());
            // Generous bound: it proves the timeout applies (the default would be 30 s, Angus's own infinite).
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
        }
    }

    @Test
    void aClosedPortFailsAsConnectionRefused() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (EmailConfigurationService s = service(EmailConfig.builder())) {
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> s.save(mail.admin(),
                    mail.passwordDraft(NOREPLY).toBuilder().set(PORT, Integer.toString(closed)).build()));
            assertEquals(Reason.CONNECTION_REFUSED, e.reason());
            assertTrue(e.getMessage().contains("127.0.0.1:" + closed), e.getMessage());
        }
    }

    @Test
    void sslTlsAgainstAPlainPortFailsAsAHandshakeProblemWithAHint() {
        try (EmailConfigurationService s = service(EmailConfig.builder().readTimeout(Duration.ofSeconds(5)))) {
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> s.save(mail.admin(),
                    mail.passwordDraft(NOREPLY).toBuilder().set(ENCRYPTION, "SSL_TLS").build()));
            assertEquals(Reason.TLS_HANDSHAKE, e.reason(), e.getMessage());
            // The specific hint naming the port, not the generic one (which also mentions STARTTLS).
            String specific = "Port " + mail.smtpPort() + " does not speak SSL/TLS from the first byte: choose STARTTLS";
            assertTrue(e.hint().startsWith(specific), e.hint());
            assertTrue(e.specificHint().orElseThrow().english().startsWith(specific));
        }
    }

    @Test
    void hundredNotificationsReuseOneConnection() throws Exception {
        try (CountingRelay relay = new CountingRelay(mail.smtpPort());
             EmailConfigurationService s = service(EmailConfig.builder())) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY).toBuilder()
                    .set(PORT, Integer.toString(relay.port())).build());
            int afterSave = relay.connections();

            List<Notification> batch = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                batch.add(Notification.of(EmailAddress.of("user" + i + "@sandbox.test"), "Reset " + i, "Link " + i));
            }
            batch.forEach(s.notifications()::send);

            assertEquals(101, mail.awaitMessages(101).size());
            assertEquals(1, afterSave, "the test email uses its own connection");
            assertEquals(1, relay.connections() - afterSave, "100 notifications must share one connection");
        }
    }

    @Test
    void aConnectionDroppedByTheServerIsReopenedOnceAndTheMessageStillGoesOut() throws Exception {
        try (CountingRelay relay = new CountingRelay(mail.smtpPort());
             EmailConfigurationService s = service(EmailConfig.builder())) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY).toBuilder()
                    .set(PORT, Integer.toString(relay.port())).build());
            s.notifications().send(Notification.of(EmailAddress.of("a@sandbox.test"), "One", "1"));

            relay.dropAll();
            s.notifications().send(Notification.of(EmailAddress.of("b@sandbox.test"), "Two", "2"));

            assertEquals(1, mail.messagesTo("b@sandbox.test").size());
            assertEquals(3, relay.connections());
        }
    }
}
