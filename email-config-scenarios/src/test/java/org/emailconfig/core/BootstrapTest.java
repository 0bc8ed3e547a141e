package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.ConfigurationView;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.InvalidConfigurationException;
import org.emailconfig.api.Reason;
import org.emailconfig.core.testing.RecordingAudit;
import org.emailconfig.testkit.SandboxMailServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** First-time setup from an installer's answers or a container's environment, never over a stored one. */
class BootstrapTest {

    static final String NOREPLY = "noreply@sandbox.test";
    static final String PASSWORD = "bootstrap-Passw0rd";

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer().withMailbox(NOREPLY, PASSWORD);

    @TempDir
    Path dir;

    private final RecordingAudit audit = new RecordingAudit();

    private Map<String, String> environment(Path passwordFile) throws Exception {
        Files.writeString(passwordFile, PASSWORD + "\n");
        Map<String, String> env = new HashMap<>();
        env.put("EMAIL_CONFIG_TYPE", "smtp-password");
        env.put("EMAIL_CONFIG_SENDER_ADDRESS", NOREPLY);
        env.put("EMAIL_CONFIG_HOST", SandboxMailServer.HOST);
        env.put("EMAIL_CONFIG_PORT", Integer.toString(mail.smtpPort()));
        env.put("EMAIL_CONFIG_ENCRYPTION", "NONE");
        env.put("EMAIL_CONFIG_USERNAME", NOREPLY);
        env.put("EMAIL_CONFIG_PASSWORD_FILE", passwordFile.toString());
        env.put("PATH", "/usr/bin");
        return env;
    }

    private EmailConfigurationService build(InitialConfiguration initial) {
        return EmailConfig.builder().fileStore(dir.resolve("store")).auditListener(audit)
                .initialConfiguration(initial).build();
    }

    @Test
    void anEmptyStoreGetsTheInitialConfigurationAfterATestEmailAuditedAsTheInstaller() throws Exception {
        Map<String, String> env = environment(dir.resolve("smtp_password"));
        env.put("EMAIL_CONFIG_TEST_TO", "ops@sandbox.test");
        try (EmailConfigurationService s = build(InitialConfiguration.fromEnvironment(env, "helm-install"))) {
            ConfigurationView view = s.read(mail.admin());
            assertEquals(1, view.revision());
            assertEquals(Set.of("password"), view.storedSecrets());
            assertEquals("helm-install", view.savedBy());
            assertEquals(1, mail.messagesTo("ops@sandbox.test").size(), "the test email went to the given address");
            assertEquals(AuditOutcome.SAVED, audit.last().outcome());
            assertEquals("helm-install", audit.last().actorId());
        }
    }

    @Test
    void aPasswordInThePlainEnvironmentIsAppliedButTheLogAndTheAuditNameTheFileVariableToUse() throws Exception {
        Map<String, String> env = environment(dir.resolve("smtp_password"));
        env.remove("EMAIL_CONFIG_PASSWORD_FILE");
        env.put("EMAIL_CONFIG_PASSWORD", PASSWORD);
        org.emailconfig.core.testing.LogCapture.install();
        int before = org.emailconfig.core.testing.LogCapture.lines().size();
        try (EmailConfigurationService s = build(InitialConfiguration.fromEnvironment(env, "installer"))) {
            assertEquals(1, s.read(mail.admin()).revision());
            assertEquals(AuditOutcome.SAVED, audit.last().outcome());
            String warning = audit.last().warnings().get(0);
            assertTrue(warning.contains("EMAIL_CONFIG_PASSWORD_FILE") && warning.contains("environment"), warning);
            assertFalse(warning.contains(PASSWORD), warning);
            assertTrue(org.emailconfig.core.testing.LogCapture.lines().subList(before,
                    org.emailconfig.core.testing.LogCapture.lines().size()).stream()
                    .anyMatch(l -> l.contains("EMAIL_CONFIG_PASSWORD_FILE")));
        }
    }

    @Test
    void withoutATestRecipientItIsStoredWithoutSendingAnything() throws Exception {
        try (EmailConfigurationService s = build(InitialConfiguration.fromEnvironment(
                environment(dir.resolve("smtp_password")), "installer"))) {
            assertEquals(1, s.read(mail.admin()).revision());
            assertEquals(0, mail.receivedMessages().size());
            assertEquals(AuditOutcome.SAVED, audit.last().outcome());
        }
    }

    @Test
    void aStoredConfigurationIsNeverOverwritten() throws Exception {
        try (EmailConfigurationService first = EmailConfig.builder().fileStore(dir.resolve("store")).build()) {
            first.save(mail.admin(), mail.passwordDraft(NOREPLY).toBuilder()
                    .set("senderName", "Set by the admin").build());
        }
        Map<String, String> env = environment(dir.resolve("smtp_password"));
        env.put("EMAIL_CONFIG_SENDER_NAME", "From the installer");
        try (EmailConfigurationService s = build(InitialConfiguration.fromEnvironment(env, "installer"))) {
            ConfigurationView view = s.read(mail.admin());
            assertEquals(1, view.revision());
            assertEquals("Set by the admin", view.values().get("senderName"));
        }
    }

    @Test
    void anInstallersAnswersFileReadsTheSameNamesAndNoSecretShowsInToString() throws Exception {
        java.util.Properties answers = new java.util.Properties();
        answers.putAll(environment(dir.resolve("smtp_password")));
        InitialConfiguration initial = InitialConfiguration.fromProperties(answers, "installer");
        assertEquals(PASSWORD, initial.values().get("password").reveal(), "the file's value, without its line break");
        assertEquals(NOREPLY, initial.values().get("senderAddress").reveal());
        assertEquals(Set.of("password"), initial.fromFiles());
        assertFalse(initial.values().toString().contains(PASSWORD), "values are never handed out in clear");
        assertFalse(initial.toString().contains(PASSWORD), initial.toString());
        assertTrue(initial.toString().contains("password"), "the field is named: " + initial);
    }

    @Test
    void aMissingSecretFileIsNamedAndNothingIsConfigured() throws Exception {
        Map<String, String> env = environment(dir.resolve("smtp_password"));
        env.put("EMAIL_CONFIG_PASSWORD_FILE", dir.resolve("missing/smtp_password").toString());
        EmailConfigException e = assertThrows(EmailConfigException.class,
                () -> InitialConfiguration.fromEnvironment(env, "installer"));
        assertTrue(e.getMessage().contains("EMAIL_CONFIG_PASSWORD_FILE") && e.getMessage().contains("missing/smtp_password"),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("store")), "nothing configured");
    }

    @Test
    void invalidValuesGiveEveryFieldErrorAtOnceAndStoreNothing() throws Exception {
        Map<String, String> env = environment(dir.resolve("smtp_password"));
        env.put("EMAIL_CONFIG_PORT", "seventy");
        env.put("EMAIL_CONFIG_HOST", "smtp example.com");
        env.put("EMAIL_CONFIG_SENDER_ADDRESS", "not an address");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> build(InitialConfiguration.fromEnvironment(env, "installer")));
        assertEquals(Set.of("port", "host", "senderAddress"), Set.copyOf(e.violations().stream()
                .map(v -> v.field()).toList()));
        assertEquals(AuditOutcome.REJECTED_INVALID, audit.last().outcome());
        try (EmailConfigurationService s = EmailConfig.builder().fileStore(dir.resolve("store")).build()) {
            assertFalse(s.read(mail.admin()).configured(), "nothing stored");
        }
    }

    @Test
    void aFieldTheTypeDoesNotHaveIsAFieldErrorAndNoTypeMeansNothingToDo() throws Exception {
        Map<String, String> env = environment(dir.resolve("smtp_password"));
        env.put("EMAIL_CONFIG_HSOT", "typo.example.com");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> build(InitialConfiguration.fromEnvironment(env, "installer")));
        assertEquals("hsot", e.violations().get(0).field());
        assertEquals(Reason.INVALID_CONFIGURATION, e.reason());
        assertEquals(AuditOutcome.REJECTED_INVALID, audit.last().outcome());
        assertEquals("installer", audit.last().actorId());
        assertNull(InitialConfiguration.fromEnvironment(Map.of("PATH", "/usr/bin"), "installer"));
    }

    @Test
    void theEngineKnowsWhetherAnInstallerConfigurationWasStoredByThisCall() throws Exception {
        InitialConfiguration initial = InitialConfiguration.fromEnvironment(environment(dir.resolve("smtp_password")),
                "installer");
        try (EmailConfigurationService s = EmailConfig.builder().fileStore(dir.resolve("store")).auditListener(audit)
                .build()) {
            org.emailconfig.core.internal.ConfigurationService engine =
                    (org.emailconfig.core.internal.ConfigurationService) s;
            assertTrue(engine.bootstrap(initial), "an empty store takes it");
            assertEquals(List.of(AuditOutcome.SAVED), audit.outcomes());
            assertFalse(engine.bootstrap(initial), "a store that holds one keeps it");
            assertEquals(List.of(AuditOutcome.SAVED), audit.outcomes(), "nothing stored, nothing audited");
            assertEquals(1, s.read(mail.admin()).revision());
        }
    }
}
