package org.emailconfig.micrometer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.apiguardian.api.API;
import org.emailconfig.api.DeliveryEvent;
import org.emailconfig.api.DeliveryListener;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.EmailHealth;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer metrics of email, from evidence only:
 * <ul>
 *   <li>{@code mail.send}: a timer per delivery attempt, named and tagged as Micrometer's own mail observation
 *       ({@code server.address}, {@code server.port}, {@code network.protocol.name}), plus {@code transport}
 *       ({@code smtp}, {@code graph}), {@code kind} ({@code notification}, {@code test_email}), {@code outcome}
 *       ({@code sent}, {@code retried}, {@code failed}, {@code maybe_delivered}) and {@code reason} (a
 *       {@link org.emailconfig.api.Reason} name, {@code none} when sent). Low cardinality only: never a recipient,
 *       subject or Message-ID;</li>
 *   <li>gauges read from {@link EmailConfigurationService#health()} when scraped (which opens no connection):
 *       {@code email.config.health} (0 UP, 1 DEGRADED, 2 DOWN), {@code email.config.failures.consecutive},
 *       {@code email.config.certificate.expiry} (seconds until the mail server's certificate expires, as real sends
 *       saw it), {@code email.config.credential.expiry} (seconds until the Microsoft credential expires: the client
 *       secret by the date the admin entered, or the certificate), {@code email.config.outbox.pending}, {@code email.config.outbox.oldest} (seconds the outbox's oldest
 *       notification has waited) and {@code email.config.connections.active} (notification connections sending).</li>
 * </ul>
 *
 * <pre>{@code
 * EmailConfigMetrics metrics = new EmailConfigMetrics();
 * EmailConfigurationService service = EmailConfig.builder()....deliveryListener(metrics).build();
 * metrics.observe(service);
 * metrics.bindTo(registry);
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.4")
public final class EmailConfigMetrics implements DeliveryListener, MeterBinder {

    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private volatile @Nullable Supplier<EmailHealth> health;

    /** Metrics that record once {@link #bindTo bound} to a registry. */
    public EmailConfigMetrics() {
    }

    /**
     * Reads the gauges from this service's health from now on.
     *
     * @param service the service this listener was registered with
     * @return this
     */
    public EmailConfigMetrics observe(EmailConfigurationService service) {
        this.health = Objects.requireNonNull(service, "service")::health;
        return this;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        Gauge.builder("email.config.health", this, m -> m.read(h -> h.status().ordinal()))
                .description("Whether email works on this node: 0 UP, 1 DEGRADED, 2 DOWN").register(registry);
        Gauge.builder("email.config.failures.consecutive", this, m -> m.read(EmailHealth::consecutiveFailures))
                .description("Failed delivery attempts since the last success with the configuration in force")
                .register(registry);
        TimeGauge.builder("email.config.certificate.expiry", this, TimeUnit.SECONDS, EmailConfigMetrics::certificateLeft)
                .description("Time until the mail server's certificate expires, as real sends saw it").register(registry);
        TimeGauge.builder("email.config.credential.expiry", this, TimeUnit.SECONDS, m -> m.read(h ->
                        h.credentialExpiry() == null ? Double.NaN
                                : Duration.between(Instant.now(), h.credentialExpiry()).toSeconds()))
                .description("Time until the configuration's credential expires (the Microsoft client secret by the "
                        + "date the admin entered, or the certificate)").register(registry);
        Gauge.builder("email.config.outbox.pending", this, m -> m.read(EmailHealth::outboxPending))
                .description("Notifications waiting in the outbox").register(registry);
        Gauge.builder("email.config.connections.active", this, m -> m.read(EmailHealth::connectionsInUse))
                .description("Notification connections of this node sending right now").register(registry);
        TimeGauge.builder("email.config.outbox.oldest", this, TimeUnit.SECONDS, m -> m.read(h ->
                        h.oldestPendingAge() == null ? 0 : h.oldestPendingAge().toSeconds()))
                .description("How long the outbox's oldest waiting notification has waited").register(registry);
    }

    @Override
    public void onDelivery(DeliveryEvent event) {
        if (registries.isEmpty()) {
            return;
        }
        Tags tags = Tags.of("server.address", event.serverAddress(), "server.port", Integer.toString(event.serverPort()),
                "network.protocol.name", protocol(event.transport()), "transport", event.transport(),
                "kind", event.kind().name().toLowerCase(Locale.ROOT),
                "outcome", event.outcome().name().toLowerCase(Locale.ROOT),
                "reason", event.failure().map(f -> f.reason().name()).orElse("none"));
        for (MeterRegistry registry : registries) {
            Timer.builder("mail.send").description("Delivery attempts of notifications and test emails").tags(tags)
                    .register(registry).record(event.duration());
        }
    }

    /** Micrometer's mail observation names the protocol; Graph speaks HTTPS. */
    private static String protocol(String transport) {
        return switch (transport) {
            case "smtp" -> "smtp";
            case "graph" -> "https";
            default -> "unknown";
        };
    }

    private double read(java.util.function.ToDoubleFunction<EmailHealth> value) {
        Supplier<EmailHealth> h = health;
        if (h == null) {
            return Double.NaN;
        }
        try {
            return value.applyAsDouble(h.get());
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static double certificateLeft(EmailConfigMetrics m) {
        return m.read(h -> {
            DeliveryEvent success = h.lastSuccess();
            Instant expiry = success == null ? null : success.serverCertificateExpiry().orElse(null);
            return expiry == null ? Double.NaN : Duration.between(Instant.now(), expiry).toSeconds();
        });
    }
}
