package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Reason;
import org.emailconfig.api.SaveOptions;
import org.emailconfig.api.Secret;
import org.emailconfig.api.TestPolicy;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.ScriptedSmtpServer.Stage;
import org.emailconfig.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Servers that misbehave the way real ones do (Postfix, Dovecot, Microsoft 365), over a real socket: each
 * failure names the real cause, the step, and whether it is temporary.
 */
@Timeout(60)
class SmtpFailureScenariosTest {

    static final String NOREPLY = "noreply@sandbox.test";

    private final EmailConfigurationService service = EmailConfig.builder().inMemoryStore()
            .trustStore(TestCertificates.trustStore()).readTimeout(Duration.ofSeconds(1))
            .connectTimeout(Duration.ofSeconds(1)).build();

    @AfterEach
    void close() {
        service.close();
    }

    private static ConfigurationDraft draft(ScriptedSmtpServer server, String encryption, boolean auth) {
        ConfigurationDraft.Builder b = ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                .set(PasswordSmtpConfiguration.SENDER_ADDRESS, NOREPLY)
                .set(PasswordSmtpConfiguration.HOST, SandboxMailServer.HOST)
                .set(PasswordSmtpConfiguration.PORT, Integer.toString(server.port()))
                .set(PasswordSmtpConfiguration.ENCRYPTION, encryption)
                .set(PasswordSmtpConfiguration.AUTHENTICATION, Boolean.toString(auth));
        if (auth) {
            b.set(PasswordSmtpConfiguration.USERNAME, NOREPLY)
                    .secret(PasswordSmtpConfiguration.PASSWORD, Secret.of("scenario-password"));
        }
        return b.build();
    }

    private static ConfigurationDraft draft(int port, String encryption) {
        return ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                .set(PasswordSmtpConfiguration.SENDER_ADDRESS, NOREPLY)
                .set(PasswordSmtpConfiguration.HOST, SandboxMailServer.HOST)
                .set(PasswordSmtpConfiguration.PORT, Integer.toString(port))
                .set(PasswordSmtpConfiguration.ENCRYPTION, encryption)
                .set(PasswordSmtpConfiguration.AUTHENTICATION, "true")
                .set(PasswordSmtpConfiguration.USERNAME, NOREPLY)
                .secret(PasswordSmtpConfiguration.PASSWORD, Secret.of("scenario-password")).build();
    }

    private DeliveryFailedException saveFails(ConfigurationDraft draft) {
        return assertThrows(DeliveryFailedException.class, () -> service.save(new SandboxMailServer().admin(), draft));
    }

    @Test
    void aServerThatHangsDuringAuthGivesATemporaryTimeoutAtAuthNotAWrongPassword() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().hang(Stage.AUTH).start()) {
            DeliveryFailedException e = saveFails(draft(server, "STARTTLS", true));
            assertEquals(Reason.READ_TIMEOUT, e.reason());
            assertEquals(DeliveryStep.AUTH, e.step().orElseThrow());
            assertTrue(e.temporary());
            assertFalse(e.hint().contains("username and password"), e.hint());
        }
    }

    @Test
    void aConnectionResetDuringAuthIsALostConnectionAtAuth() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().reset(Stage.AUTH).start()) {
            DeliveryFailedException e = saveFails(draft(server, "STARTTLS", true));
            assertEquals(Reason.CONNECTION_LOST, e.reason());
            assertEquals(DeliveryStep.AUTH, e.step().orElseThrow());
            assertTrue(e.temporary());
        }
    }

    @Test
    void dovecotsTemporaryAuthenticationFailureIsTemporaryAndKeepsTheReply() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls()
                .reply(Stage.AUTH, "454 4.7.0 Temporary authentication failure").start()) {
            DeliveryFailedException e = saveFails(draft(server, "STARTTLS", true));
            assertEquals(Reason.AUTH_TEMPORARY_FAILURE, e.reason());
            assertTrue(e.temporary());
            assertEquals("454 4.7.0 Temporary authentication failure", e.serverReply().orElseThrow());
        }
    }

    @Test
    void aServerWhoseEhloOffersNoAuthIsNeverSentTheMessageUnauthenticated() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls()
                .reply(Stage.EHLO, "250-scripted.sandbox.test\r\n250-STARTTLS\r\n250 8BITMIME").start()) {
            DeliveryFailedException e = saveFails(draft(server, "STARTTLS", true));
            assertEquals(Reason.AUTH_NOT_OFFERED, e.reason());
            assertEquals(DeliveryStep.AUTH, e.step().orElseThrow());
            assertTrue(server.commands().stream().noneMatch(c -> c.startsWith("MAIL")), server.commands().toString());
            assertTrue(server.messages().isEmpty());
            assertTrue(e.specificHint().isEmpty(), "STARTTLS was used: no advice to use it");
            assertEquals(1, server.commands().stream().filter(c -> c.equals("QUIT")).count(), "the connection is closed");
        }
    }

    @Test
    void aPlainServerThatOffersAuthOnlyAfterStarttlsSaysToChooseStarttls() {
        // Postfix's default: AUTH is advertised only once the session is encrypted.
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls()
                .reply(Stage.EHLO, "250-scripted.sandbox.test\r\n250-STARTTLS\r\n250 8BITMIME").start()) {
            DeliveryFailedException e = saveFails(draft(server, "NONE", true));
            assertEquals(Reason.AUTH_NOT_OFFERED, e.reason());
            assertTrue(e.specificHint().orElseThrow().english().contains("STARTTLS"), e.hint());
            assertTrue(server.commands().stream().noneMatch(c -> c.startsWith("AUTH") || c.startsWith("MAIL")));
            assertEquals(1, server.commands().stream().filter(c -> c.equals("QUIT")).count(), "the connection is closed");
        }
    }

    @Test
    void aServerOfferingOnlyMechanismsWeDoNotUseIsNoCommonMechanismNotAWrongPassword() {
        // CRAM-MD5 and GSSAPI only: the client has nothing to offer, so no password was ever checked.
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls()
                .reply(Stage.EHLO, "250-scripted.sandbox.test\r\n250-STARTTLS\r\n250 AUTH CRAM-MD5 GSSAPI").start()) {
            DeliveryFailedException e = saveFails(draft(server, "STARTTLS", true));
            assertEquals(Reason.AUTH_MECHANISM_UNSUPPORTED, e.reason(), e.getMessage());
            assertEquals(DeliveryStep.AUTH, e.step().orElseThrow());
            assertFalse(e.temporary());
            assertTrue(server.commands().stream().noneMatch(c -> c.startsWith("AUTH")), server.commands().toString());
            assertTrue(server.messages().isEmpty());
        }
    }

    @Test
    void aRefusingGreetingIsAClientRejectionWithTheServersWords() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls()
                .reply(Stage.GREETING, "554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked").start()) {
            DeliveryFailedException e = saveFails(draft(server, "STARTTLS", true));
            assertEquals(Reason.CLIENT_REJECTED, e.reason());
            assertEquals(DeliveryStep.GREETING, e.step().orElseThrow());
            assertTrue(e.serverReply().orElseThrow().startsWith("554 5.7.1"), e.serverReply().toString());
        }
    }

    @Test
    void aServerThatRefusesEhloAndHeloIsAPermanentServerErrorAtEhloWithItsReply() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain()
                .reply(Stage.EHLO, "500 5.5.1 Command unrecognized").start()) {
            DeliveryFailedException e = saveFails(draft(server, "NONE", false));
            assertEquals(Reason.SERVER_ERROR, e.reason());
            assertEquals(DeliveryStep.EHLO, e.step().orElseThrow());
            assertFalse(e.temporary());
            assertEquals("500 5.5.1 Command unrecognized", e.serverReply().orElseThrow());
            assertTrue(server.commands().stream().noneMatch(c -> c.startsWith("MAIL")), server.commands().toString());
        }
    }

    /** Each hint names what the reply means on that server, not a cause that was already ruled out. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "AUTH | 534 5.7.9 Application-specific password required. Learn more at https://support.google.com/mail/?p=InvalidSecondFactor | AUTH_REJECTED | app password | username and password",
        "MAIL | 553 5.7.1 <noreply@sandbox.test>: Sender address rejected: not owned by user noreply | SENDER_NOT_ALLOWED | owns | Send As",
        "END_OF_DATA | 554 5.2.252 SendAsDenied; noreply@sandbox.test not allowed to send as other@contoso.com | SENDER_NOT_ALLOWED | Send As | Postfix",
        "RCPT | 452 4.5.3 Error: too many recipients | SERVER_TEMPORARY_FAILURE | too many recipients | encryption",
    })
    void hintsSayWhatTheReplyMeansOnThatServer(Stage stage, String reply, Reason reason, String says, String saysNot) {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().reply(stage, reply).start()) {
            DeliveryFailedException e = saveFails(draft(server, "STARTTLS", true));
            assertEquals(reason, e.reason(), e.getMessage());
            assertTrue(e.hint().contains(says), e.hint());
            assertFalse(e.hint().contains(saysNot), e.hint());
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = Stage.class, names = {"MAIL", "RCPT", "DATA", "END_OF_DATA"})
    void aTimeoutAfterTlsAndLoginWorkedDoesNotBlameTheEncryption(Stage stage) {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().hang(stage).start()) {
            DeliveryFailedException e = saveFails(draft(server, "STARTTLS", true));
            assertEquals(Reason.READ_TIMEOUT, e.reason());
            assertFalse(e.hint().contains("encryption matches"), e.hint());
            assertFalse(e.hint().contains("port"), e.hint());
        }
    }

    @Test
    void aTemporaryRefusalOfEhloIsTemporaryAtEhloWithItsReplyNotAMissingStarttls() {
        // Angus answers a refused EHLO with HELO, which offers no extensions: STARTTLS then looks absent.
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls()
                .replyOnce(Stage.EHLO, "451 4.3.0 Temporary local problem, try again later").start()) {
            DeliveryFailedException e = saveFails(draft(server, "STARTTLS", true));
            assertEquals(Reason.SERVER_TEMPORARY_FAILURE, e.reason(), e.getMessage());
            assertEquals(DeliveryStep.EHLO, e.step().orElseThrow());
            assertTrue(e.temporary());
            assertEquals("451 4.3.0 Temporary local problem, try again later", e.serverReply().orElseThrow());
            assertFalse(e.hint().contains("587"), e.hint());
        }
    }

    @Test
    void aPermanentRefusalOfEhloKeepsTheServersWordsAndIsNotAMissingStarttls() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls()
                .replyOnce(Stage.EHLO, "550 5.7.1 <unknown[127.0.0.1]>: Client host rejected: Access denied").start()) {
            DeliveryFailedException e = saveFails(draft(server, "STARTTLS", true));
            assertEquals(Reason.CLIENT_REJECTED, e.reason(), e.getMessage());
            assertEquals(DeliveryStep.EHLO, e.step().orElseThrow());
            assertFalse(e.temporary());
            assertTrue(e.serverReply().orElseThrow().startsWith("550 5.7.1"), e.serverReply().toString());
        }
    }

    @Test
    void aRefusedEhloOnAPlainConnectionIsNotReadAsAServerWithoutAuthentication() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain()
                .replyOnce(Stage.EHLO, "451 4.3.0 Temporary local problem, try again later").start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore().allowPasswordsOverUnencryptedConnections()
                     .readTimeout(Duration.ofSeconds(1)).build()) {
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class,
                    () -> s.save(new SandboxMailServer().admin(), draft(server, "NONE", true)));
            assertEquals(Reason.SERVER_TEMPORARY_FAILURE, e.reason(), e.getMessage());
            assertEquals(DeliveryStep.EHLO, e.step().orElseThrow());
            assertEquals("451 4.3.0 Temporary local problem, try again later", e.serverReply().orElseThrow());
        }
    }

    @Test
    void aServerClosingWith421AtMailKeepsItsReply() {
        // Plain, so the server's hang-up reaches Angus's RSET as a TCP reset, as from a real server across a network.
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain()
                .reply(Stage.MAIL, "421 4.7.0 scripted.sandbox.test Error: too many connections").start()) {
            DeliveryFailedException e = saveFails(draft(server, "NONE", false));
            assertEquals(Reason.SERVER_TEMPORARY_FAILURE, e.reason(), e.getMessage());
            assertEquals(DeliveryStep.MAIL, e.step().orElseThrow());
            assertTrue(e.temporary());
            assertEquals("421 4.7.0 scripted.sandbox.test Error: too many connections", e.serverReply().orElseThrow());
        }
    }

    @Test
    void aServerClosingWith421AtMailOnAKeptOpenConnectionKeepsItsReply() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore()
                     .trustStore(TestCertificates.trustStore()).readTimeout(Duration.ofSeconds(1))
                     .notificationRetryDeadline(Duration.ZERO).build()) {
            s.save(new SandboxMailServer().admin(), draft(server, "STARTTLS", true));
            Notification n = Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link");
            s.notifications().send(n);
            server.reply(Stage.MAIL, "421 4.7.0 scripted.sandbox.test Error: too many connections");
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> s.notifications().send(n));
            assertEquals(Reason.SERVER_TEMPORARY_FAILURE, e.reason(), e.getMessage());
            assertEquals("421 4.7.0 scripted.sandbox.test Error: too many connections", e.serverReply().orElseThrow());
        }
    }

    @Test
    void aTemporaryRefusalOfStarttlsIsTemporaryAtStarttls() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls()
                .reply(Stage.STARTTLS, "454 4.7.0 TLS not available due to local problem").start()) {
            DeliveryFailedException e = saveFails(draft(server, "STARTTLS", true));
            assertEquals(Reason.SERVER_TEMPORARY_FAILURE, e.reason());
            assertEquals(DeliveryStep.STARTTLS, e.step().orElseThrow());
            assertTrue(e.temporary());
            assertTrue(e.serverReply().orElseThrow().startsWith("454 4.7.0"), e.serverReply().toString());
        }
    }

    @Test
    void aResetAfterTheWholeMessageIsALostConnectionInDataNotAServerReply() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().reset(Stage.END_OF_DATA).start()) {
            DeliveryFailedException e = saveFails(draft(server, "STARTTLS", true));
            assertEquals(Reason.CONNECTION_LOST, e.reason());
            assertEquals(DeliveryStep.DATA, e.step().orElseThrow());
            assertTrue(e.serverReply().isEmpty());
            assertFalse(e.hint().contains("see the server reply"), e.hint());
        }
    }

    @Test
    void whenOneOfTwoRecipientsIsRefusedTheFailureSaysWhich() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls()
                .refuseRecipient("bob@sandbox.test", "550 5.1.1 <bob@sandbox.test>: Recipient address rejected: User unknown")
                .start()) {
            service.save(new SandboxMailServer().admin(), draft(server, "STARTTLS", true));
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> service.notifications().send(
                    new Notification(List.of(EmailAddress.of("alice@sandbox.test"), EmailAddress.of("bob@sandbox.test")),
                            "Reset", "Link", null)));
            assertEquals(Reason.RECIPIENT_REJECTED, e.reason());
            assertEquals(DeliveryStep.RCPT, e.step().orElseThrow());
            assertEquals(1, e.refusedRecipients().size(), e.refusedRecipients().toString());
            assertTrue(e.refusedRecipients().get(0).startsWith("bob@sandbox.test: 550 5.1.1"), e.refusedRecipients().toString());
            assertTrue(e.getMessage().contains("bob@sandbox.test"), e.getMessage());
            assertFalse(e.getMessage().contains("alice@sandbox.test: "), e.getMessage());
        }
    }

    @Test
    void aSubmissionPortThatWantsStarttlsFirstSaysSoWhenAuthenticationIsOff() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls()
                .reply(Stage.MAIL, "530 5.7.0 Must issue a STARTTLS command first").start()) {
            DeliveryFailedException e = saveFails(draft(server, "NONE", false));
            assertEquals(Reason.ENCRYPTION_REQUIRED, e.reason());
            assertEquals(DeliveryStep.MAIL, e.step().orElseThrow());
        }
    }

    @Test
    void aPortThatNeverGreetsSuggestsSslTlsWhateverItsNumber() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().hang(Stage.GREETING).start()) {
            DeliveryFailedException e = saveFails(draft(server, "NONE", false));
            assertEquals(Reason.READ_TIMEOUT, e.reason());
            assertEquals(DeliveryStep.GREETING, e.step().orElseThrow());
            assertTrue(e.hint().contains("choose SSL/TLS"), e.hint());
        }
    }

    @Test
    void port465WithStarttlsIsASettingErrorThatNotificationsDoNotRetry() throws Exception {
        // The real port number matters here; the kernel completes the handshake from the backlog, and nothing greets.
        java.net.ServerSocket port465;
        try {
            port465 = new java.net.ServerSocket(465, 50, java.net.InetAddress.getByName(SandboxMailServer.HOST));
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("port 465 on 127.0.0.1 cannot be bound here: " + e);
            return;
        }
        try (port465; EmailConfigurationService s = EmailConfig.builder().inMemoryStore()
                .greetingTimeout(Duration.ofMillis(500)).notificationRetryDeadline(Duration.ofSeconds(20)).build()) {
            s.save(new SandboxMailServer().admin(), draft(465, "STARTTLS"), SaveOptions.defaults()
                    .withTestPolicy(TestPolicy.SAVE_ANYWAY));
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class, () -> s.notifications()
                    .send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link")));
            assertEquals(Reason.READ_TIMEOUT, e.reason());
            assertFalse(e.temporary());
            assertEquals(1, e.attempts(), "a wrong setting is not tried again for the whole deadline");
            assertTrue(e.hint().startsWith("Port 465 expects SSL/TLS"), e.hint());
        }
    }

    @Test
    void aSilentPortCostsTheGreetingTimeoutNotTheReadTimeoutAndLaterRepliesGetTheFullReadTimeout() {
        try (ScriptedSmtpServer silent = ScriptedSmtpServer.plain().hang(Stage.GREETING).start();
             ScriptedSmtpServer slowAtMail = ScriptedSmtpServer.withStartTls().hang(Stage.MAIL).start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore()
                     .trustStore(TestCertificates.trustStore()).readTimeout(Duration.ofSeconds(3))
                     .greetingTimeout(Duration.ofMillis(500)).build()) {
            long start = System.nanoTime();
            DeliveryFailedException e = assertThrows(DeliveryFailedException.class,
                    () -> s.save(new SandboxMailServer().admin(), draft(silent, "NONE", false)));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(DeliveryStep.GREETING, e.step().orElseThrow());
            assertTrue(ms < 2500, "waited " + ms + " ms for a greeting");
            assertTrue(e.hint().contains("SSL/TLS"), e.hint());

            start = System.nanoTime();
            DeliveryFailedException mail = assertThrows(DeliveryFailedException.class,
                    () -> s.save(new SandboxMailServer().admin(), draft(slowAtMail, "STARTTLS", true)));
            ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(DeliveryStep.MAIL, mail.step().orElseThrow());
            assertTrue(ms >= 2500, "after the greeting the read timeout is 3 s again, but it gave up after " + ms + " ms");
        }
    }

    /** Postfix's policy refusals come at RCPT; they are read by their words, not by the step alone. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "554 5.7.1 <admin@sandbox.test>: Relay access denied | RELAY_DENIED | false",
        "554 5.7.1 <unknown[127.0.0.1]>: Client host rejected: Access denied | CLIENT_REJECTED | false",
        "553 5.7.1 <noreply@sandbox.test>: Sender address rejected: not owned by user noreply | SENDER_NOT_ALLOWED | false",
        "451 4.3.0 <admin@sandbox.test>: Temporary lookup failure | SERVER_TEMPORARY_FAILURE | true",
        "452 4.3.1 Insufficient system storage | SERVER_TEMPORARY_FAILURE | true",
    })
    void postfixRefusalsAtRcptNameTheirRealCause(String reply, Reason reason, boolean temporary) {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().reply(Stage.RCPT, reply).start()) {
            DeliveryFailedException e = saveFails(draft(server, "STARTTLS", true));
            assertEquals(reason, e.reason(), e.getMessage());
            assertEquals(temporary, e.temporary());
            assertEquals(DeliveryStep.RCPT, e.step().orElseThrow());
            assertTrue(e.serverReply().orElseThrow().startsWith(reply.substring(0, 9)), e.serverReply().toString());
        }
    }

    @Test
    void aMessageTooBigForTheServerSaysSo() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls()
                .reply(Stage.END_OF_DATA, "552 5.3.4 Error: message file too big").start()) {
            DeliveryFailedException e = saveFails(draft(server, "STARTTLS", true));
            assertEquals(Reason.MESSAGE_TOO_BIG, e.reason());
            assertEquals(DeliveryStep.DATA, e.step().orElseThrow());
        }
    }

    @Test
    void aBusyServerAtMailIsTemporaryAndSaveAnywayStillStores() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls()
                .reply(Stage.MAIL, "421 4.7.0 Too many connections, try again later").start()) {
            ConfigurationDraft d = draft(server, "STARTTLS", true);
            DeliveryFailedException e = saveFails(d);
            assertEquals(Reason.SERVER_TEMPORARY_FAILURE, e.reason());
            assertTrue(e.temporary());
            assertEquals(DeliveryStep.MAIL, e.step().orElseThrow());
            assertEquals(Reason.SERVER_TEMPORARY_FAILURE, service.save(new SandboxMailServer().admin(), d,
                    SaveOptions.defaults().withTestPolicy(TestPolicy.SAVE_ANYWAY)).testFailureIfAny().orElseThrow().reason());
        }
    }
}
