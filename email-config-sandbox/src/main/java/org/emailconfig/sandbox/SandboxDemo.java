package org.emailconfig.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.Actor;
import org.emailconfig.api.AuthenticationType;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.ConfigurationView;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DiagnosisReport;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.FieldDescriptor;
import org.emailconfig.api.Notification;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Secret;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.testkit.CountingRelay;
import org.emailconfig.testkit.FakeMicrosoftPlatform;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.TestCertificates;

/**
 * The sandbox demo: everything a host does with the library, against an embedded mail server on
 * 127.0.0.1. No network beyond loopback. Run with {@code mvn -B -Psandbox -DskipTests verify}.
 */
public final class SandboxDemo {

    private static final String NOREPLY = "noreply@sandbox.test";
    private static final String NOREPLY_PASSWORD = "sandbox-Passw0rd";

    private SandboxDemo() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("email-config-sandbox");
        try (SandboxMailServer mail = new SandboxMailServer().withMailbox(NOREPLY, NOREPLY_PASSWORD).start();
             EmailConfigurationService email = EmailConfig.builder()
                     .fileStore(dir)
                     .applicationName("Hub")
                     .auditListener(e -> say("  audit: %s by %s, changed %s, revision %d%s", e.outcome(), e.actorId(),
                             e.changedFields(), e.revision(), e.reason() == null ? "" : ", reason " + e.reason()))
                     .build()) {
            Actor admin = mail.admin();
            say("Embedded mail server: SMTP on 127.0.0.1:%d, SMTPS on 127.0.0.1:%d", mail.smtpPort(), mail.smtpsPort());
            say("Configuration file: %s", dir.resolve("email-config.properties"));

            say("%n1. The form: installed authentication types and their fields");
            for (AuthenticationType type : email.authenticationTypes(Locale.ENGLISH)) {
                say("  %s (%s)", type.label(), type.type());
                for (FieldDescriptor f : type.fields()) {
                    say("    %-15s %-8s %-14s %s%s%s%s", f.name(), f.kind(), f.section(),
                            f.required() ? "required" : "optional",
                            f.defaultValue() == null ? "" : ", default " + f.defaultValue(),
                            f.shownWhen() == null ? "" : ", shown when " + f.shownWhen()
                                    + (f.shownWhenValues().isEmpty() ? " is on" : " is " + f.shownWhenValues()),
                            f.advanced() ? ", advanced" : "");
                }
            }

            say("%n2. The admin saves username-and-password SMTP; a test email goes to the admin first");
            ConfigurationDraft draft = mail.passwordDraft(NOREPLY);
            long start = System.nanoTime();
            long revision = email.save(admin, draft).revision();
            say("  saved revision %d in %d ms (validation, test email, sealed store write)", revision, ms(start));
            show(mail.awaitMessages(1).get(0));

            say("%n3. The host sends a password-reset notification with the configuration in force");
            email.notifications().send(Notification.of(EmailAddress.of("jane.doe@sandbox.test"), "Reset your password",
                    "Open https://hub.example/reset/7f3a to choose a new password."));
            show(mail.messagesTo("jane.doe@sandbox.test").get(0));

            say("%n4. The admin types a wrong password: the test fails, the previous configuration stays");
            try {
                email.save(admin, draft.toBuilder().secret(PasswordSmtpConfiguration.PASSWORD, Secret.of("wrong-password")).build());
                throw new IllegalStateException("a wrong password must not be saved");
            } catch (DeliveryFailedException e) {
                say("  reason: %s", e.reason());
                say("  hint:   %s", e.hint());
                say("  server: %s", e.serverReply().orElse("-"));
            }
            say("  revision in force: %d", email.read(admin).revision());

            say("%n5. A non-administrator tries to change it");
            try {
                email.save(Actor.user("u-42", "user@sandbox.test"), draft);
            } catch (org.emailconfig.api.NotAllowedException e) {
                say("  refused: %s", e.getMessage());
            }

            say("%n5b. \"Check connection\": the steps without sending, for a good and a wrong configuration");
            report(email.verify(admin, draft), Locale.ENGLISH);
            say("  The same server with SSL/TLS chosen for its plain port, as a German admin sees it:");
            report(email.verify(admin.withLocale(Locale.GERMAN), draft.toBuilder()
                    .set(PasswordSmtpConfiguration.ENCRYPTION, "SSL_TLS").build()), Locale.GERMAN);

            measure(mail, email, admin, draft);
            twoNodes(mail, dir, draft);
        } finally {
            deleteTree(dir);
        }
        microsoft();
        say("%nSandbox demo finished.");
    }

    /** A second application node on the same store follows the first node's saves. */
    private static void twoNodes(SandboxMailServer mail, Path dir, ConfigurationDraft draft) throws Exception {
        say("%n6b. Two application nodes on one store: node B follows node A's save");
        try (EmailConfigurationService a = EmailConfig.builder().fileStore(dir).build()) {
            a.save(mail.admin(), draft.toBuilder().set(PasswordSmtpConfiguration.SENDER_NAME, "Hub").build());
        }
        try (EmailConfigurationService a = EmailConfig.builder().fileStore(dir).build();
             EmailConfigurationService b = EmailConfig.builder().fileStore(dir)
                     .refreshInterval(java.time.Duration.ofMillis(500)).build()) {
            a.save(mail.admin(), draft.toBuilder().set(PasswordSmtpConfiguration.SENDER_NAME, "Saved on node A").build());
            long start = System.nanoTime();
            String name;
            do {
                mail.purge();
                b.notifications().send(Notification.of(EmailAddress.of("jane.doe@sandbox.test"), "Notice", "Body"));
                name = ((jakarta.mail.internet.InternetAddress) mail.awaitMessages(1).get(0).getFrom()[0]).getPersonal();
            } while (!"Saved on node A".equals(name) && ms(start) < 10_000);
            say("  node B sends as \"%s\" %d ms after node A saved (refresh interval 500 ms; the default is %d s)",
                    name, ms(start), EmailConfig.DEFAULT_REFRESH_INTERVAL.toSeconds());
            say("  node B's form shows revision %d, the one it sends with", b.read(mail.admin()).revision());
        }
    }

    private static void measure(SandboxMailServer mail, EmailConfigurationService email, Actor admin,
                                ConfigurationDraft draft) throws IOException {
        say("%n6. Measurements (local GreenMail, this machine)");
        int saves = 10;
        long start = System.nanoTime();
        for (int i = 0; i < saves; i++) {
            email.save(admin, draft.toBuilder().set(PasswordSmtpConfiguration.SENDER_NAME, "Hub " + i).build());
        }
        say("  save with test email: %.1f ms on average over %d saves", ms(start) / (double) saves, saves);
        try (EmailConfigurationService memory = EmailConfig.builder().inMemoryStore()
                .trustStore(TestCertificates.trustStore()).build()) {
            for (ConfigurationDraft d : List.of(mail.passwordDraft(NOREPLY), mail.smtpsDraft(NOREPLY))) {
                memory.save(admin, d);
                start = System.nanoTime();
                for (int i = 0; i < saves; i++) {
                    memory.save(admin, d.toBuilder().set(PasswordSmtpConfiguration.SENDER_NAME, "Mem " + i).build());
                }
                say("  save with test email, in-memory store, %s: %.1f ms on average over %d saves",
                        d.text(PasswordSmtpConfiguration.ENCRYPTION).orElse("?"), ms(start) / (double) saves, saves);
            }
        }
        try (CountingRelay relay = new CountingRelay(mail.smtpPort())) {
            email.save(admin, draft.toBuilder().set(PasswordSmtpConfiguration.PORT, Integer.toString(relay.port()))
                    .secret(PasswordSmtpConfiguration.PASSWORD, Secret.of(NOREPLY_PASSWORD)).build());
            int before = relay.connections();
            start = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                email.notifications().send(Notification.of(EmailAddress.of("user" + i + "@sandbox.test"), "Notice " + i, "Body"));
            }
            say("  100 notifications: %d SMTP connection(s) opened, %d ms", relay.connections() - before, ms(start));
        }
        try (ScriptedSmtpServer fast = ScriptedSmtpServer.plain().start()) {
            ConfigurationDraft toFast = draft.toBuilder().set(PasswordSmtpConfiguration.PORT, Integer.toString(fast.port()))
                    .secret(PasswordSmtpConfiguration.PASSWORD, Secret.of(NOREPLY_PASSWORD)).build();
            start = System.nanoTime();
            for (int i = 0; i < saves; i++) {
                email.save(admin, toFast.toBuilder().set(PasswordSmtpConfiguration.SENDER_NAME, "Fast " + i).build());
            }
            say("  save with test email to a server answering in single writes: %.1f ms on average over %d saves",
                    ms(start) / (double) saves, saves);
            int before = fast.connections();
            start = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                email.notifications().send(Notification.of(EmailAddress.of("user" + i + "@sandbox.test"), "Notice " + i, "Body"));
            }
            say("  100 notifications to a server answering in single writes: %d connection(s), %d ms",
                    fast.connections() - before, ms(start));
        }
    }

    /** The Microsoft OAuth 2.0 type against the testkit's fake identity platform, fake Graph and GreenMail. */
    private static void microsoft() {
        String tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        String client = "00001111-aaaa-2222-bbbb-3333cccc4444";
        String secret = "Qx8Q~sandbox.client-secret-value";
        String mailbox = "hub@contoso.test";
        String smtpToken = "sandbox-xoauth2-token";
        try (FakeMicrosoftPlatform microsoft = new FakeMicrosoftPlatform()
                     .registerApplication(tenant, client, secret, false, true, null).start();
             SandboxMailServer mail = new SandboxMailServer().withMailbox(mailbox, smtpToken).start();
             EmailConfigurationService email = EmailConfig.builder().inMemoryStore().applicationName("Hub")
                     .trustStore(TestCertificates.trustStore()).build()) {
            Actor admin = mail.admin();
            say("%n7. Microsoft OAuth 2.0 with Graph sendMail (fake identity platform and Graph at %s)",
                    microsoft.loginEndpoint());
            ConfigurationDraft graph = microsoft.graphDraft(tenant, client, secret, mailbox);
            long start = System.nanoTime();
            email.save(admin, graph);
            say("  saved in %d ms; the test email went through Graph:", ms(start));
            show(microsoft.awaitMessages(1).get(0));
            email.notifications().send(Notification.of(EmailAddress.of("jane.doe@contoso.test"), "Reset your password",
                    "Open https://hub.example/reset/91c2 to choose a new password."));
            say("  password reset sent through Graph to %s", List.of(microsoft.sentMessages().get(1).getAllRecipients()));

            say("%n8. A wrong client secret");
            try {
                email.save(admin, graph.toBuilder().secret(MicrosoftOAuthConfiguration.CLIENT_SECRET,
                        Secret.of("b3c1a9d2-1111-4222-8333-944455556666x")).build());
            } catch (DeliveryFailedException e) {
                say("  reason: %s", e.reason());
                say("  hint:   %s", e.hint());
            }

            say("  \"Check connection\" with a tenant that does not exist, and with the real one:");
            report(email.verify(admin, graph.toBuilder().set(MicrosoftOAuthConfiguration.TENANT_ID,
                    "contoso-typo.onmicrosoft.com").build()), Locale.ENGLISH);
            report(email.verify(admin, graph), Locale.ENGLISH);

            say("%n9. Measurements against the fakes");
            int saves = 10;
            start = System.nanoTime();
            for (int i = 0; i < saves; i++) {
                email.save(admin, graph.toBuilder().set(MicrosoftOAuthConfiguration.SENDER_NAME, "Hub " + i).build());
            }
            say("  save with test email through Graph: %.1f ms on average over %d saves", ms(start) / (double) saves, saves);
            int before = microsoft.tokenRequests();
            start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                email.notifications().send(Notification.of(EmailAddress.of("user" + i + "@contoso.test"), "Notice", "Body"));
            }
            say("  1000 notifications through Graph: %d token request(s) during them (%d in the whole section, "
                    + "saves included), %d ms", microsoft.tokenRequests() - before, microsoft.tokenRequests(), ms(start));

            say("%n10. Microsoft OAuth 2.0 with SMTP XOAUTH2 (GreenMail on SMTPS accepts the token as the mailbox's credential)");
            microsoft.registerApplication(tenant, client, secret, false, true, smtpToken);
            email.save(admin, graph.toBuilder().set(MicrosoftOAuthConfiguration.DELIVERY, "SMTP_XOAUTH2")
                    .set(MicrosoftOAuthConfiguration.SMTP_HOST, SandboxMailServer.HOST)
                    .set(MicrosoftOAuthConfiguration.SMTP_PORT, Integer.toString(mail.smtpsPort()))
                    .set(MicrosoftOAuthConfiguration.SMTP_ENCRYPTION, "SSL_TLS").build());
            show(mail.awaitMessages(1).get(0));

            say("%n11. Microsoft without a client secret: a certificate (the fake checks each signed assertion)");
            microsoft.registerApplication(tenant, client, TestCertificates.ApplicationCertificate.VALID.certificate());
            int sentBefore = microsoft.sentMessages().size();
            email.save(admin, microsoft.graphDraftWithCertificate(tenant, client,
                    TestCertificates.ApplicationCertificate.VALID.pem(), "hub@contoso.test"));
            ConfigurationView certificateView = email.read(admin);
            microsoft.awaitMessages(sentBefore + 1);
            say("  saved; the test email went through Graph; signed in with: %s",
                    microsoft.credentialsUsed().get(microsoft.credentialsUsed().size() - 1));
            say("  the view shows thumbprint %s, subject %s, valid until %s; the key: %s",
                    certificateView.values().get(MicrosoftOAuthConfiguration.CLIENT_CERTIFICATE_THUMBPRINT),
                    certificateView.values().get(MicrosoftOAuthConfiguration.CLIENT_CERTIFICATE_SUBJECT),
                    certificateView.values().get(MicrosoftOAuthConfiguration.CLIENT_CERTIFICATE_EXPIRES),
                    certificateView.storedSecrets().contains(MicrosoftOAuthConfiguration.CLIENT_CERTIFICATE)
                            ? "stored, sealed, never shown" : "missing");
            try {
                email.save(admin, microsoft.graphDraftWithCertificate(tenant, client,
                        TestCertificates.ApplicationCertificate.OTHER.pem(), "hub@contoso.test"));
            } catch (DeliveryFailedException e) {
                say("  a certificate the app registration does not hold: %s (%s)%n    %s", e.reason(),
                        e.serverReply().orElse("?"), e.hint(Locale.ENGLISH));
            }
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prints a connection check as a form would show it. */
    private static void report(DiagnosisReport r, Locale locale) {
        for (DiagnosisReport.Step step : r.steps()) {
            say("  %-8s %-15s %5d ms  %s", step.outcome(), step.id(), step.duration().toMillis(),
                    step.summary().in(locale));
        }
        r.advice().forEach(a -> say("  advice: %s", a.in(locale)));
        r.failureIfAny().ifPresent(f -> say("  %s: %s", f.reason(), f.hint(locale)));
    }

    private static void show(MimeMessage m) throws MessagingException, IOException {
        say("  arrived: From %s | To %s | Subject %s", List.of(m.getFrom()), List.of(m.getAllRecipients()), m.getSubject());
        String body = String.valueOf(m.getContent()).strip().replace("\n", "\n          ");
        say("  body:    %s", body);
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
