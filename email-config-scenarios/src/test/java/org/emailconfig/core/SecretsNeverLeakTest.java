package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Encryption;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Secret;
import org.emailconfig.api.Sender;
import org.emailconfig.api.SmtpAuthentication;
import org.emailconfig.api.SmtpServer;
import org.emailconfig.api.Notification;
import org.emailconfig.core.testing.LogCapture;
import org.emailconfig.core.testing.RecordingAudit;
import org.emailconfig.core.testing.SocketFixtures;
import org.emailconfig.testkit.FakeMicrosoftPlatform;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.emailconfig.api.PasswordSmtpConfiguration.ENCRYPTION;
import static org.emailconfig.api.PasswordSmtpConfiguration.HOST;
import static org.emailconfig.api.PasswordSmtpConfiguration.PASSWORD;
import static org.emailconfig.api.PasswordSmtpConfiguration.PORT;

/**
 * Runs every path that touches a password (success, rejection, invalid draft, TLS failure, timeout,
 * notification) with every logger at its most verbose, and checks that the password appears in no log
 * line, exception message, stack trace, audit event or {@code toString}.
 */
class SecretsNeverLeakTest {

    static final String MAILBOX = "noreply@sandbox.test";
    static final String GOOD = "G00d-Passw0rd-8c1f";
    static final String WRONG = "Wr0ng-Passw0rd-55e2";

    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String CLIENT = "00001111-aaaa-2222-bbbb-3333cccc4444";
    static final String CLIENT_SECRET = "Cl1ent~Secret.value-7d3e9f";
    static final String WRONG_CLIENT_SECRET = "Wr0ng~Secret.value-0a1b2c";
    static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.access-token-4f2a";

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer().withMailbox(MAILBOX, GOOD).withMailbox("o365@sandbox.test", TOKEN);

    @RegisterExtension
    final FakeMicrosoftPlatform microsoft = new FakeMicrosoftPlatform();

    @BeforeAll
    static void captureLogs() {
        LogCapture.install();
    }

    @Test
    void noPasswordInLogsExceptionsAuditOrToString() throws Exception {
        RecordingAudit audit = new RecordingAudit();
        List<String> seen = new ArrayList<>();
        try (SocketFixtures.SilentServer silent = new SocketFixtures.SilentServer();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore().auditListener(audit)
                     .readTimeout(Duration.ofMillis(500)).build()) {
            ConfigurationDraft good = mail.passwordDraft(MAILBOX);
            ConfigurationDraft wrong = good.toBuilder().secret(PASSWORD, Secret.of(WRONG)).build();
            seen.add(good.toString());
            seen.add(wrong.toString());

            s.save(mail.admin(), good);
            s.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link"));
            collect(seen, assertThrows(EmailConfigException.class, () -> s.save(mail.admin(), wrong)));
            collect(seen, assertThrows(EmailConfigException.class,
                    () -> s.save(mail.admin(), wrong.toBuilder().set(HOST, "").build())));
            collect(seen, assertThrows(EmailConfigException.class,
                    () -> s.save(mail.admin(), wrong.toBuilder().set(PORT, Integer.toString(mail.smtpsPort()))
                            .set(ENCRYPTION, "SSL_TLS").build())));
            collect(seen, assertThrows(EmailConfigException.class,
                    () -> s.save(mail.admin(), wrong.toBuilder().set(PORT, Integer.toString(silent.port())).build())));
            collect(seen, assertThrows(EmailConfigException.class,
                    () -> s.save(mail.admin(), good.toBuilder().set(HOST, "localhost").secret(PASSWORD, Secret.keep()).build())));
            seen.add(s.read(mail.admin()).toString());
        }
        seen.add(new PasswordSmtpConfiguration(Sender.of(EmailAddress.of(MAILBOX)),
                SmtpServer.of("smtp.example.com", 587, Encryption.STARTTLS),
                SmtpAuthentication.login(MAILBOX, Secret.of(GOOD))).toString());
        audit.events().forEach(e -> seen.add(e.toString()));
        LogCapture.lines().stream().filter(l -> !l.startsWith("com.icegreen")).forEach(seen::add);

        assertTrue(LogCapture.lines().stream().anyMatch(l -> l.startsWith("org.emailconfig.audit")),
                "the capture must see our own log lines, or this test proves nothing");
        assertTrue(seen.size() > 15, "too little was checked: " + seen.size());
        for (String secret : List.of(GOOD, WRONG)) {
            String plain = Base64.getEncoder().encodeToString(("\0" + MAILBOX + "\0" + secret).getBytes(StandardCharsets.UTF_8));
            String login = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
            for (String text : seen) {
                assertFalse(text.contains(secret), "secret in: " + text.replace(secret, "<SECRET>"));
                assertFalse(text.contains(plain) || text.contains(login), "encoded secret in: " + text);
            }
        }
    }

    @Test
    void noClientSecretOrAccessTokenInLogsExceptionsAuditOrToString() throws Exception {
        microsoft.registerApplication(TENANT, CLIENT, CLIENT_SECRET, false, true, TOKEN);
        RecordingAudit audit = new RecordingAudit();
        List<String> seen = new ArrayList<>();
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().auditListener(audit)
                .trustStore(TestCertificates.trustStore()).readTimeout(Duration.ofSeconds(2)).build()) {
            ConfigurationDraft graph = microsoft.graphDraft(TENANT, CLIENT, CLIENT_SECRET, "o365@sandbox.test");
            ConfigurationDraft smtp = graph.toBuilder().set(MicrosoftOAuthConfiguration.DELIVERY, "SMTP_XOAUTH2")
                    .set(MicrosoftOAuthConfiguration.SMTP_HOST, SandboxMailServer.HOST)
                    .set(MicrosoftOAuthConfiguration.SMTP_PORT, Integer.toString(mail.smtpsPort()))
                    .set(MicrosoftOAuthConfiguration.SMTP_ENCRYPTION, "SSL_TLS").build();
            seen.add(graph.toString());

            s.save(mail.admin(), graph);
            s.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link"));
            s.save(mail.admin(), smtp);
            s.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link"));
            collect(seen, assertThrows(EmailConfigException.class, () -> s.save(mail.admin(), graph.toBuilder()
                    .secret(MicrosoftOAuthConfiguration.CLIENT_SECRET, Secret.of(WRONG_CLIENT_SECRET)).build())));
            microsoft.failNext(FakeMicrosoftPlatform.Failure.ACCESS_DENIED);
            collect(seen, assertThrows(EmailConfigException.class, () -> s.save(mail.admin(), graph)));
            collect(seen, assertThrows(EmailConfigException.class, () -> s.save(mail.admin(), smtp.toBuilder()
                    .set(MicrosoftOAuthConfiguration.SMTP_PORT, Integer.toString(mail.smtpPort())).build())));
            seen.add(s.read(mail.admin()).toString());
        }
        audit.events().forEach(e -> seen.add(e.toString()));
        LogCapture.lines().stream().filter(l -> !l.startsWith("com.icegreen")).forEach(seen::add);

        assertTrue(microsoft.issued(TOKEN), "the token under test must really have been used");
        assertTrue(LogCapture.lines().stream().anyMatch(l -> l.startsWith("com.microsoft.aad.msal4j")),
                "msal4j's own log lines must be among those checked");
        for (String secret : List.of(CLIENT_SECRET, WRONG_CLIENT_SECRET, TOKEN)) {
            for (String text : seen) {
                assertFalse(text.contains(secret), "secret in: " + text.replace(secret, "<SECRET>"));
            }
        }
    }

    @Test
    void aServerThatEchoesThePasswordOrItsEncodingHasItMaskedInEveryReplyWeShow() throws Exception {
        // Some servers quote what they were sent. Whatever we show of their replies (exception, hint, server
        // reply, audit, log) must not carry the password, in clear or as the AUTH PLAIN / LOGIN base64 forms.
        String plainBlob = Base64.getEncoder().encodeToString(("\0" + MAILBOX + "\0" + WRONG).getBytes(StandardCharsets.UTF_8));
        String loginBlob = Base64.getEncoder().encodeToString(WRONG.getBytes(StandardCharsets.UTF_8));
        RecordingAudit audit = new RecordingAudit();
        List<String> seen = new ArrayList<>();
        List<String> replies = List.of("535 5.7.8 Authentication failed for " + MAILBOX + " with password " + WRONG,
                "535 5.7.8 Invalid credentials " + plainBlob, "535 5.7.8 Invalid password " + loginBlob);
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().auditListener(audit)
                .trustStore(TestCertificates.trustStore()).readTimeout(Duration.ofSeconds(2)).build()) {
            for (String reply : replies) {
                try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls()
                        .reply(ScriptedSmtpServer.Stage.AUTH, reply).start()) {
                    ConfigurationDraft draft = mail.passwordDraft(MAILBOX).toBuilder()
                            .set(PORT, Integer.toString(server.port())).set(ENCRYPTION, "STARTTLS")
                            .secret(PASSWORD, Secret.of(WRONG)).build();
                    EmailConfigException e = assertThrows(EmailConfigException.class, () -> s.save(mail.admin(), draft));
                    assertEquals(org.emailconfig.api.Reason.AUTH_REJECTED, e.reason(), e.getMessage());
                    String shown = ((org.emailconfig.api.DeliveryFailedException) e).serverReply().orElseThrow();
                    assertTrue(shown.startsWith("535 5.7.8") && shown.contains("******"), shown);
                    seen.add(shown);
                    collect(seen, e);
                }
            }
        }
        audit.events().forEach(e -> seen.add(e.toString()));
        LogCapture.lines().stream().filter(l -> !l.startsWith("com.icegreen")).forEach(seen::add);
        for (String text : seen) {
            for (String secret : List.of(WRONG, plainBlob, loginBlob)) {
                assertFalse(text.contains(secret), "secret in: " + text.replace(secret, "<SECRET>"));
            }
        }
    }

    @Test
    void aPasswordEchoedOutsideAuthIsMaskedInAngussOwnDebugAndProtocolLog() throws Exception {
        // Angus logs through java.util.logging under our transport's package; a host that routes it to DEBUG or
        // TRACE sees every reply, including a 5xx to MAIL that quotes the password.
        String password = "echoed-Passw0rd";
        String blob = Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8));
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(new java.util.logging.SimpleFormatter().formatMessage(r)
                        + (r.getThrown() == null ? "" : " " + r.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(java.util.logging.Level.ALL);
        List<java.util.logging.Logger> angus = List.of(java.util.logging.Logger.getLogger("org.emailconfig.core.internal"),
                java.util.logging.Logger.getLogger("org.emailconfig.core.internal.protocol"));
        try (ScriptedSmtpServer server = ScriptedSmtpServer.withStartTls().start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore()
                     .trustStore(TestCertificates.trustStore()).readTimeout(Duration.ofSeconds(2))
                     .notificationRetryDeadline(Duration.ZERO).build()) {
            s.save(mail.admin(), mail.passwordDraft(MAILBOX).toBuilder().set(PORT, Integer.toString(server.port()))
                    .set(ENCRYPTION, "STARTTLS").secret(PASSWORD, Secret.of(password)).build());
            for (java.util.logging.Logger l : angus) {
                l.setLevel(java.util.logging.Level.ALL);
                l.addHandler(handler);
            }
            server.reply(ScriptedSmtpServer.Stage.MAIL, "553 5.7.1 Sender rejected for " + MAILBOX + " (password "
                    + password + ", " + blob + ")");
            EmailConfigException e = assertThrows(EmailConfigException.class, () -> s.notifications().send(
                    org.emailconfig.api.Notification.of(org.emailconfig.api.EmailAddress.of("user@sandbox.test"), "R", "L")));
            assertFalse(e.getMessage().contains(password));
        } finally {
            for (java.util.logging.Logger l : angus) {
                l.removeHandler(handler);
                l.setLevel(null);
            }
        }
        assertTrue(logged.stream().anyMatch(l -> l.contains("553 5.7.1 Sender rejected")),
                "Angus's log was captured: " + logged.size() + " lines");
        for (String line : logged) {
            assertFalse(line.contains(password) || line.contains(blob), "secret in Angus's log: "
                    + line.replace(password, "<SECRET>").replace(blob, "<SECRET>"));
        }
    }

    private static void collect(List<String> seen, Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        seen.add(w.toString());
        seen.add(String.valueOf(t));
        if (t instanceof EmailConfigException e) {
            seen.add(e.hint());
        }
    }
}
