package org.emailconfig.spring;

import java.util.Map;

import javax.sql.DataSource;

import org.apiguardian.api.API;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.EmailHealth;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.core.InitialConfiguration;
import org.emailconfig.core.JdbcConfigStore;
import org.emailconfig.micrometer.EmailConfigMetrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the {@link EmailConfigurationService} from {@link EmailConfigProperties}: on the application's
 * {@link DataSource} when it has one (a JDBC store, its table created when missing), else on files; first-time setup
 * from {@code email-config.initial.*}. With Micrometer on the class path it registers {@link EmailConfigMetrics}
 * (Spring Boot binds it to the registry); with Actuator, a health contributor {@code emailConfig} that reads
 * {@link EmailConfigurationService#health()}, which never opens a connection. Steps back when the application
 * defines its own service.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.4")
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@EnableConfigurationProperties(EmailConfigProperties.class)
public class EmailConfigAutoConfiguration {

    /** Health DEGRADED as Spring Boot reports it: not DOWN, so email alone never fails the application's health. */
    public static final Status DEGRADED = new Status("DEGRADED", "Email works, or may again by itself, but needs attention");

    /**
     * The service.
     *
     * @param properties  the starter's properties
     * @param dataSources the application's DataSource, if any
     * @param metrics     the metrics, when Micrometer is present
     * @param providers   the application's own authentication providers, registered before the discovered ones (a
     *                    bean of a discovered provider's class replaces it, such as
     *                    {@code MicrosoftOAuthProvider.withClientAssertions(...)})
     * @return the service, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(EmailConfigurationService.class)
    public EmailConfigurationService emailConfigurationService(EmailConfigProperties properties,
                                                               ObjectProvider<DataSource> dataSources,
                                                               ObjectProvider<EmailConfigMetrics> metrics,
                                                               ObjectProvider<AuthenticationProvider> providers) {
        EmailConfig.Builder b = EmailConfig.builder().applicationName(properties.getApplicationName())
                .expiryWarnings(properties.getExpiryWarnings());
        providers.orderedStream().forEach(b::provider);
        DataSource dataSource = dataSources.getIfUnique();
        if (dataSource != null) {
            b.store(JdbcConfigStore.builder(dataSource).table(properties.getJdbc().getTable()).createTableIfMissing(true)
                    .build());
            java.nio.file.Path key = properties.getSecretKeyFile();
            b.secretKeyFile(key != null ? key : properties.getDirectory().resolve("email-config.key"));
        } else {
            b.fileStore(properties.getDirectory());
        }
        Map<String, String> initial = properties.initialAsEnvironment();
        if (initial != null) {
            b.initialConfiguration(InitialConfiguration.fromEnvironment(initial,
                    properties.getInitial().getOrDefault("installer", "spring-boot")));
        }
        EmailConfigMetrics m = metrics.getIfAvailable();
        if (m != null) {
            b.deliveryListener(m);
        }
        EmailConfigurationService service = b.build();
        if (m != null) {
            m.observe(service);
        }
        return service;
    }

    /** The metrics, when Micrometer and the metrics module are on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry",
            "org.emailconfig.micrometer.EmailConfigMetrics"})
    static class Metrics {
        /**
         * The metrics; a {@code MeterBinder}, so Spring Boot binds it to every registry.
         *
         * @return the metrics
         */
        @Bean
        @ConditionalOnMissingBean
        EmailConfigMetrics emailConfigMetrics() {
            return new EmailConfigMetrics();
        }
    }

    /** The health contributor, when Actuator is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    static class HealthContributor {
        /**
         * Health from evidence: UP, {@link #DEGRADED} or DOWN with the concerns as details; never a probe.
         *
         * @param service the service
         * @return the indicator named {@code emailConfig}
         */
        @Bean
        @ConditionalOnMissingBean(name = "emailConfigHealthIndicator")
        HealthIndicator emailConfigHealthIndicator(EmailConfigurationService service) {
            return () -> {
                EmailHealth h = service.health();
                Health.Builder b = switch (h.status()) {
                    case UP -> Health.up();
                    case DEGRADED -> Health.status(DEGRADED);
                    case DOWN -> Health.down();
                };
                b.withDetail("since", h.since().toString()).withDetail("revision", h.revision())
                        .withDetail("consecutiveFailures", h.consecutiveFailures());
                if (h.lastSuccess() != null) {
                    b.withDetail("lastSuccess", h.lastSuccess().at().toString());
                }
                h.concerns().forEach(c -> b.withDetail(c.code().name(), c.text().in(java.util.Locale.ENGLISH)));
                return b.build();
            };
        }
    }
}
