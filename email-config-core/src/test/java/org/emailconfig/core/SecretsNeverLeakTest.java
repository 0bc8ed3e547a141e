package org.emailconfig.core;

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
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Secret;
import org.emailconfig.api.Sender;
import org.emailconfig.api.SmtpAuthentication;
import org.emailconfig.api.SmtpServer;
import org.emailconfig.api.Notification;
import org.emailconfig.core.testing.LogCapture;
import org.emailconfig.core.testing.RecordingAudit;
import org.emailconfig.core.testing.SocketFixtures;
import org.emailconfig.testkit.SandboxMailServer;
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

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer().withMailbox(MAILBOX, GOOD);

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
