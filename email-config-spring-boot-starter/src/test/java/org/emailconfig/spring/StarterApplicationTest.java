package org.emailconfig.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.testkit.SandboxMailServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.metrics.MetricsEndpoint;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A real Spring Boot application with Actuator: the health endpoint shows {@code emailConfig} from evidence while
 * the liveness probe stays UP whatever email does, and the metrics endpoint has {@code mail.send}. One application
 * for the class, in order: nothing configured first, then a configuration, then a server that refuses.
 */
@SpringBootTest(classes = StarterApplicationTest.App.class, properties = {
        "spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=health,metrics",
        "management.endpoint.health.show-details=always", "management.endpoint.health.probes.enabled=true"})
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class StarterApplicationTest {

    static final String MAILBOX = "noreply@sandbox.test";

    @RegisterExtension
    static final SandboxMailServer MAIL = new SandboxMailServer().withMailbox(MAILBOX, "app-Passw0rd");

    @TempDir
    static Path dir;

    /** The application: nothing but auto-configuration. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("email-config.directory", () -> dir.resolve("email-config").toString());
    }

    @Autowired
    HealthEndpoint health;
    @Autowired
    MetricsEndpoint metrics;
    @Autowired
    EmailConfigurationService service;

    private String status(String path) {
        HealthComponent component = health.healthForPath(path.split("/"));
        return component.getStatus().getCode();
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void healthAndMetricsEndpointsShowEmailFromEvidenceAndLivenessNeverFollowsIt() {
        assertEquals("DOWN", status("emailConfig"), "nothing configured yet");
        assertEquals("UP", status("liveness"), "email being down never restarts the application");

        service.save(MAIL.admin(), MAIL.passwordDraft(MAILBOX));
        service.notifications().send(Notification.of(EmailAddress.of("jane@sandbox.test"), "Reset", "Link"));
        assertEquals("UP", status("emailConfig"));

        MetricsEndpoint.MetricDescriptor sent = metrics.metric("mail.send", List.of("outcome:sent", "kind:notification"));
        assertTrue(sent != null && sent.getMeasurements().stream().anyMatch(m -> m.getStatistic().name().equals("COUNT")
                && m.getValue() == 1.0), String.valueOf(sent));
        MetricsEndpoint.MetricDescriptor gauge = metrics.metric("email.config.health", List.of());
        assertEquals(0.0, gauge.getMeasurements().get(0).getValue(), "UP");
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void aDegradedMailboxShowsInItsOwnContributorWithoutTurningTheApplicationsHealthDown() throws Exception {
        int closed;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        // A server that refuses connections for now: temporary, so email is DEGRADED, not DOWN.
        service.save(MAIL.admin(), org.emailconfig.api.ConfigurationDraft.builder("smtp-password")
                        .set("senderAddress", MAILBOX).set("host", "127.0.0.1").set("port", Integer.toString(closed))
                        .set("encryption", "NONE").set("authentication", "false").build(),
                org.emailconfig.api.SaveOptions.defaults().withTestPolicy(org.emailconfig.api.TestPolicy.SAVE_ANYWAY));
        org.junit.jupiter.api.Assertions.assertThrows(org.emailconfig.api.DeliveryFailedException.class,
                () -> service.notifications().send(Notification.of(EmailAddress.of("jane@sandbox.test"), "R", "L")));
        assertEquals("DEGRADED", status("emailConfig"));
        assertEquals("UP", health.health().getStatus().getCode(), "a degraded mailbox is not the application's outage");
        assertEquals("UP", status("readiness"));
    }
}
