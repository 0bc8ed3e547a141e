package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import jakarta.mail.internet.InternetAddress;

import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.ConfigurationView;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Reason;
import org.emailconfig.api.SaveOptions;
import org.emailconfig.api.spi.StoredConfiguration;
import org.emailconfig.api.spi.UnreadableConfigurationException;
import org.emailconfig.core.testing.RecordingAudit;
import org.emailconfig.testkit.SandboxMailServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stores and keys that never strand an admin, and secrets that only go where they were entered for. */
class StoreRobustnessTest {

    static final String NOREPLY = "noreply@sandbox.test";
    static final String PASSWORD = "robust-password-1618";

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer().withMailbox(NOREPLY, PASSWORD);

    @RegisterExtension
    final SandboxMailServer attacker = new SandboxMailServer();

    @TempDir
    Path dir;

    private final RecordingAudit audit = new RecordingAudit();

    private EmailConfigurationService service() {
        return EmailConfig.builder().fileStore(dir).auditListener(audit).build();
    }

    private Path file() {
        return dir.resolve(FileConfigStore.FILE_NAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\u0000\u0001garbage\u00FF not a configuration", "type=smtp-password\nrevision=3\nsaved",
            "type=smtp-password\nrevision=three\nsavedAt=2026-11-28T10:00:00Z\nsavedBy=a\n"})
    void aDamagedConfigurationFileIsShownAsDamagedAndCanBeReplacedExplicitlyKeepingTheDamagedOneAside(String content)
            throws Exception {
        try (EmailConfigurationService s = service()) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
        }
        Files.writeString(file(), content, StandardCharsets.ISO_8859_1);
        try (EmailConfigurationService s = service()) {
            ConfigurationView view = s.read(mail.admin());
            assertTrue(view.isDamaged());
            assertTrue(view.damaged().contains(file().toString()), view.damaged());
            assertNull(view.type());

            EmailConfigException refused = assertThrows(EmailConfigException.class,
                    () -> s.save(mail.admin(), mail.passwordDraft(NOREPLY)));
            assertInstanceOf(UnreadableConfigurationException.class, refused);
            assertEquals(AuditOutcome.REJECTED_STORE_FAILURE, audit.last().outcome());
            assertEquals(content, Files.readString(file(), StandardCharsets.ISO_8859_1), "nothing changed");

            long revision = s.save(mail.admin(), mail.passwordDraft(NOREPLY),
                    SaveOptions.defaults().withExpectedRevision(view.revision()).withDamagedReplaced()).revision();
            assertEquals(AuditOutcome.SAVED_REPLACING_DAMAGED, audit.last().outcome());
            assertEquals(revision, s.read(mail.admin()).revision());
            assertFalse(s.read(mail.admin()).isDamaged());
            s.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link"));
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> kept = files.filter(p -> p.getFileName().toString().startsWith(FileConfigStore.FILE_NAME + ".damaged-"))
                    .toList();
            assertEquals(1, kept.size());
            assertEquals(content, Files.readString(kept.get(0), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void aNodeThatHeldAGoodRevisionKeepsSendingWithItWhenTheFileIsDamaged() throws Exception {
        try (EmailConfigurationService s = EmailConfig.builder().fileStore(dir)
                .refreshInterval(java.time.Duration.ofMillis(50)).build()) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
            Files.writeString(file(), "");
            Thread.sleep(300);
            s.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link"));
            assertEquals(2, mail.awaitMessages(2).size());
        }
    }

    @Test
    void theStoreDirectoryIsCreatedOwnerOnlyAndOpenPermissionsAreReportedToTheForm() throws Exception {
        Path store = dir.resolve("fresh/email");
        try (EmailConfigurationService s = EmailConfig.builder().fileStore(store).build()) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
            assertEquals(List.of(), s.read(mail.admin()).storeWarnings());
        }
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(store.resolve(FileConfigStore.FILE_NAME), PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(store.resolve(EmailConfig.DEFAULT_KEY_FILE_NAME),
                PosixFilePermissions.fromString("rw-r--r--"));
        try (EmailConfigurationService s = EmailConfig.builder().fileStore(store).build()) {
            List<String> warnings = s.read(mail.admin()).storeWarnings();
            assertTrue(warnings.stream().anyMatch(w -> w.contains("chmod 700 " + store)), warnings.toString());
            assertTrue(warnings.stream().anyMatch(w -> w.contains("chmod 600 " + store.resolve(FileConfigStore.FILE_NAME))),
                    warnings.toString());
            assertTrue(warnings.stream().anyMatch(w -> w.contains(EmailConfig.DEFAULT_KEY_FILE_NAME)), warnings.toString());
        }
    }

    @Test
    void temporaryFilesLeftByACrashAreRemovedAtStartAndAfterASave() throws Exception {
        try (EmailConfigurationService s = service()) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
        }
        Path leftover = dir.resolve(FileConfigStore.FILE_NAME + "8812.tmp");
        Files.writeString(leftover, "secret.password=v2\\:older sealed password");
        try (EmailConfigurationService s = service()) {
            assertFalse(Files.exists(leftover), "removed at start");
            Files.writeString(leftover, "again");
            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
            assertFalse(Files.exists(leftover), "removed after a save");
        }
    }

    @Test
    void aPortChangedInTheStoreWithoutTheKeyNeverSendsThePasswordThereAndNamesThePort() throws Exception {
        try (EmailConfigurationService s = service()) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
        }
        // Someone who can write the store but has no key points the configuration at their own server.
        Properties p = new Properties();
        try (var in = Files.newInputStream(file())) {
            p.load(in);
        }
        p.setProperty("setting." + PasswordSmtpConfiguration.PORT, Integer.toString(attacker.smtpPort()));
        p.setProperty("revision", "2");
        try (var out = Files.newOutputStream(file())) {
            p.store(out, null);
        }
        try (EmailConfigurationService s = service()) {
            EmailConfigException e = assertThrows(EmailConfigException.class, () -> s.notifications()
                    .send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link")));
            assertEquals(Reason.STORE_FAILURE, e.reason());
            assertTrue(e.getMessage().contains("other values of port"), e.getMessage());
            assertEquals(0, attacker.receivedMessages().size());

            // The admin re-enters the password: it works again, with the server they chose.
            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
            s.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link"));
            assertEquals(1, mail.messagesTo("user@sandbox.test").size());
        }
        assertEquals(0, attacker.receivedMessages().size());
    }

    @Test
    void aResealTheStoreRefusesIsAuditedAndChangesNothing() throws Exception {
        byte[] oldKey = new byte[32];
        byte[] newKey = new byte[32];
        newKey[0] = 1;
        InMemoryConfigStore data = new InMemoryConfigStore();
        try (EmailConfigurationService s = EmailConfig.builder().store(data).secretKey(oldKey).build()) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
        }
        StoredConfiguration before = data.load().orElseThrow();
        org.emailconfig.core.testing.ControllableStore store = new org.emailconfig.core.testing.ControllableStore(data,
                false);
        try (EmailConfigurationService s = EmailConfig.builder().store(store).secretKey(newKey)
                .previousSecretKeys(oldKey).auditListener(audit).build()) {
            // The reseal reads the configuration, then the database goes away before it writes.
            store.afterNextLoad(store::failAsOutage);
            EmailConfigException e = assertThrows(EmailConfigException.class, () -> s.resealSecrets(mail.admin()));
            assertEquals(Reason.STORE_FAILURE, e.reason());
            assertEquals(AuditOutcome.REJECTED_STORE_FAILURE, audit.last().outcome());
            assertEquals(1, audit.last().revision(), "revision 1 stays in force");
        }
        assertEquals(before, data.load().orElseThrow(), "nothing changed");
    }

    @Test
    void aKeyRotationResealsEverySecretAndTheOldKeyCanThenBeRemoved() throws Exception {
        byte[] oldKey = new byte[32];
        byte[] newKey = new byte[32];
        newKey[0] = 1;
        InMemoryConfigStore store = new InMemoryConfigStore();
        try (EmailConfigurationService s = EmailConfig.builder().store(store).secretKey(oldKey).build()) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
        }
        StoredConfiguration beforeRotation = store.load().orElseThrow();
        String before = beforeRotation.sealedSecrets().get(PasswordSmtpConfiguration.PASSWORD);
        try (EmailConfigurationService s = EmailConfig.builder().store(store).secretKey(newKey)
                .previousSecretKeys(oldKey).auditListener(audit).build()) {
            assertEquals(2, s.resealSecrets(mail.admin()));
            assertEquals(AuditOutcome.SECRETS_RESEALED, audit.last().outcome());
            assertEquals(2, s.resealSecrets(mail.admin()), "nothing left to reseal");
        }
        StoredConfiguration after = store.load().orElseThrow();
        assertFalse(before.equals(after.sealedSecrets().get(PasswordSmtpConfiguration.PASSWORD)));
        assertEquals(beforeRotation.settings(), after.settings(), "resealing changes no setting");
        assertEquals(beforeRotation.sealedSecrets().keySet(), after.sealedSecrets().keySet());
        try (EmailConfigurationService s = EmailConfig.builder().store(store).secretKey(newKey).build()) {
            s.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link"));
            assertEquals(NOREPLY, ((InternetAddress) mail.messagesTo("user@sandbox.test").get(0).getFrom()[0]).getAddress());
        }
    }

    @Test
    void aHostThatEncryptsItsStoreItselfMayKeepSecretsUnsealedAndTheyStillWork() {
        InMemoryConfigStore store = new InMemoryConfigStore();
        try (EmailConfigurationService s = EmailConfig.builder().store(store).storeSecretsUnsealed().build()) {
            s.save(mail.admin(), mail.passwordDraft(NOREPLY));
            String stored = store.load().orElseThrow().sealedSecrets().get(PasswordSmtpConfiguration.PASSWORD);
            assertTrue(stored.startsWith("plain:"), "marked as unsealed, not mistaken for a sealed value: " + stored);
            s.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Reset", "Link"));
        }
        try (EmailConfigurationService again = EmailConfig.builder().store(store).storeSecretsUnsealed().build()) {
            again.notifications().send(Notification.of(EmailAddress.of("user@sandbox.test"), "Again", "Link"));
        }
        assertEquals(2, mail.messagesTo("user@sandbox.test").size());
    }
}
