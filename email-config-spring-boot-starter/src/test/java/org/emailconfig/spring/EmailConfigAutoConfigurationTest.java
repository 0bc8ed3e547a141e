package org.emailconfig.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;

import javax.sql.DataSource;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.ConfigurationView;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.Reason;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.micrometer.EmailConfigMetrics;
import org.emailconfig.msoauth.MicrosoftOAuthProvider;
import org.emailconfig.testkit.SandboxMailServer;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The starter as an application meets it: the service from properties on the application's DataSource or on files,
 * first-time setup with the secret from a file, the metrics only with Micrometer, the health contributor only with
 * Actuator, and nothing of its own when the application defines the service.
 */
class EmailConfigAutoConfigurationTest {

    static final String MAILBOX = "noreply@sandbox.test";
    static final String PASSWORD = "starter-Passw0rd";

    @RegisterExtension
    final SandboxMailServer mail = new SandboxMailServer().withMailbox(MAILBOX, PASSWORD);

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EmailConfigAutoConfiguration.class))
                .withPropertyValues("email-config.directory=" + dir.resolve("files"));
    }

    @Test
    void withoutADataSourceTheConfigurationLivesInFilesAndFirstTimeSetupReadsTheSecretFromAFile() throws Exception {
        Path secret = dir.resolve("smtp_password");
        Files.writeString(secret, PASSWORD);
        runner().withPropertyValues("email-config.initial.type=smtp-password",
                "email-config.initial.sender-address=" + MAILBOX,
                "email-config.initial.host=" + SandboxMailServer.HOST,
                "email-config.initial.port=" + mail.smtpPort(),
                "email-config.initial.encryption=NONE", "email-config.initial.authentication=true",
                "email-config.initial.username=" + MAILBOX,
                "email-config.initial.password-file=" + secret,
                "email-config.initial.installer=deploy-42",
                "email-config.application-name=Hub").run(context -> {
            EmailConfigurationService service = context.getBean(EmailConfigurationService.class);
            ConfigurationView view = service.read(mail.admin());
            assertEquals("smtp-password", view.type());
            assertEquals("deploy-42", view.savedBy());
            assertTrue(view.storedSecrets().contains("password"));
            assertTrue(Files.exists(dir.resolve("files/email-config.properties")), "the file store");
        });
    }

    @Test
    void withTheApplicationsDataSourceTheConfigurationLivesInItsDatabase() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:starter;DB_CLOSE_DELAY=-1");
        runner().withBean(DataSource.class, () -> h2).run(context -> {
            EmailConfigurationService service = context.getBean(EmailConfigurationService.class);
            service.save(mail.admin(), mail.passwordDraft(MAILBOX));
            try (Connection c = h2.getConnection(); ResultSet rs = c.createStatement()
                    .executeQuery("SELECT COUNT(*) FROM email_config")) {
                rs.next();
                assertTrue(rs.getInt(1) > 0, "stored in the application's database");
            }
            assertFalse(Files.exists(dir.resolve("files/email-config.properties")), "not in files");
            assertTrue(Files.exists(dir.resolve("files/email-config.key")), "the key that seals the secret in the database");
        });
    }

    @Test
    void anApplicationsProviderBeanReplacesTheDiscoveredOneSoWorkloadTokensCanComeFromTheApplication() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        runner().withBean(AuthenticationProvider.class, () -> MicrosoftOAuthProvider.withClientAssertions(() -> {
            asked.incrementAndGet();
            return "eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl";
        })).run(context -> {
            EmailConfigurationService service = context.getBean(EmailConfigurationService.class);
            assertEquals(1, service.authenticationTypes(java.util.Locale.ENGLISH).stream()
                    .filter(t -> t.type().equals(MicrosoftOAuthConfiguration.TYPE)).count());
            // No token file: the application's source stands in. Port 1 on loopback refuses at once; no
            // Microsoft endpoint is reached.
            ConfigurationDraft draft = ConfigurationDraft.builder(MicrosoftOAuthConfiguration.TYPE)
                    .set(MicrosoftOAuthConfiguration.SENDER_ADDRESS, MAILBOX)
                    .set(MicrosoftOAuthConfiguration.TENANT_ID, "72f988bf-86f1-41af-91ab-2d7cd011db47")
                    .set(MicrosoftOAuthConfiguration.CLIENT_ID, "00001111-aaaa-2222-bbbb-3333cccc4444")
                    .set(MicrosoftOAuthConfiguration.CREDENTIAL, "FEDERATED_TOKEN")
                    .set(MicrosoftOAuthConfiguration.LOGIN_ENDPOINT, "https://127.0.0.1:1")
                    .set(MicrosoftOAuthConfiguration.GRAPH_ENDPOINT, "https://127.0.0.1:1/graph").build();
            DeliveryFailedException e = org.junit.jupiter.api.Assertions.assertThrows(DeliveryFailedException.class,
                    () -> service.save(mail.admin(), draft));
            assertEquals(Reason.OAUTH_UNREACHABLE, e.reason(), e.getMessage());
            assertEquals(1, asked.get(), "the application's source gave the token");
        });
    }

    @Test
    void anApplicationsOwnServiceMakesTheStarterStepBack() {
        EmailConfigurationService own = org.emailconfig.core.EmailConfig.builder().inMemoryStore().build();
        runner().withBean(EmailConfigurationService.class, () -> own).run(context -> {
            assertSame(own, context.getBean(EmailConfigurationService.class));
            assertFalse(Files.exists(dir.resolve("files")));
        });
        own.close();
    }

    @Test
    void withoutMicrometerOrActuatorTheServiceStillStartsWithoutTheirBeans() {
        runner().withClassLoader(new FilteredClassLoader("io.micrometer", "org.springframework.boot.actuate"))
                .run(context -> {
                    assertTrue(context.getStartupFailure() == null, String.valueOf(context.getStartupFailure()));
                    assertEquals(1, context.getBeansOfType(EmailConfigurationService.class).size());
                    assertTrue(context.getBeanNamesForType(EmailConfigMetrics.class).length == 0);
                    assertFalse(context.containsBean("emailConfigHealthIndicator"));
                });
    }

    @Test
    void theHealthContributorReadsEvidenceAndNeverFailsTheApplicationForADegradedMailbox() {
        runner().run(context -> {
            HealthIndicator health = context.getBean("emailConfigHealthIndicator", HealthIndicator.class);
            assertEquals("DOWN", health.health().getStatus().getCode(), "nothing configured");
            assertTrue(health.health().getDetails().containsKey("NOT_CONFIGURED"));
            context.getBean(EmailConfigurationService.class).save(mail.admin(), mail.passwordDraft(MAILBOX));
            assertEquals("UP", health.health().getStatus().getCode());
            assertTrue(context.getBeansOfType(EmailConfigMetrics.class).size() == 1, "Micrometer is present here");
        });
    }
}
