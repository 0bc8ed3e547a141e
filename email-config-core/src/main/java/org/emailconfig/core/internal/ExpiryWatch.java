package org.emailconfig.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.DeliveryEvent;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.EmailHealth;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.LocalizedText;
import org.emailconfig.core.internal.text.CoreTexts;
import org.jspecify.annotations.Nullable;

/**
 * Expiry known before the outage: watches the server certificates real sends saw, and says so once per warning
 * threshold (an audit event) and for as long as it lasts (a concern of health). Never probes anything.
 */
final class ExpiryWatch {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final List<Duration> thresholds;
    private final AuditTrail audit;
    private final Clock clock;
    /** What was announced: server, expiry and threshold, so each is said once per node. */
    private final Set<String> announced = ConcurrentHashMap.newKeySet();

    /**
     * @param thresholds how long before the expiry to warn, each once; the longest also makes health DEGRADED
     */
    ExpiryWatch(List<Duration> thresholds, AuditTrail audit, Clock clock) {
        this.thresholds = thresholds.stream().sorted(Comparator.reverseOrder()).toList();
        this.audit = audit;
        this.clock = clock;
    }

    /** Takes what a delivery saw: a success's certificate is the server's current one. */
    void seen(DeliveryEvent event) {
        if (event.outcome() != DeliveryEvent.Outcome.SENT || event.serverCertificateExpiry().isEmpty()) {
            return;
        }
        Instant expiry = event.serverCertificateExpiry().get();
        Duration left = Duration.between(clock.instant(), expiry);
        for (Duration threshold : thresholds) {
            if (left.compareTo(threshold) <= 0 && announced.add(event.serverAddress() + ":" + event.serverPort() + "/"
                    + expiry + "/" + threshold)) {
                audit.noticed(AuditOutcome.EXPIRY_WARNING, event.type(), event.revision(),
                        List.of(text(event, expiry, left).in(Locale.ENGLISH)));
            }
        }
    }

    /**
     * The concern of a certificate the last success saw, when it expires within the longest threshold.
     *
     * @param lastSuccess the revision's last success on this node, or null
     * @return the concern, or null
     */
    EmailHealth.@Nullable Concern concern(@Nullable DeliveryEvent lastSuccess) {
        if (lastSuccess == null || lastSuccess.serverCertificateExpiry().isEmpty() || thresholds.isEmpty()) {
            return null;
        }
        Instant expiry = lastSuccess.serverCertificateExpiry().get();
        Duration left = Duration.between(clock.instant(), expiry);
        if (left.compareTo(thresholds.get(0)) > 0) {
            return null;
        }
        return new EmailHealth.Concern(EmailHealth.Code.CERTIFICATE_EXPIRING, EmailHealth.Status.DEGRADED,
                text(lastSuccess, expiry, left), expiry.minus(thresholds.get(0)));
    }

    /**
     * The concern of a credential of the configuration in force that expires within the longest threshold, said once
     * per threshold as an audit event too: the Microsoft client secret, by the date the admin entered, or the
     * certificate credential, by its end of validity.
     *
     * @param configuration the configuration in force, or null
     * @param revision      its revision
     * @return the concern, or null
     */
    EmailHealth.@Nullable Concern credential(@Nullable EmailConfiguration configuration, long revision) {
        LocalizedText text = credentialText(configuration);
        if (text == null || !(configuration instanceof MicrosoftOAuthConfiguration m)) {
            return null;
        }
        Instant expiry = java.util.Objects.requireNonNull(credentialExpiry(m));
        Duration left = Duration.between(clock.instant(), expiry);
        for (Duration threshold : thresholds) {
            if (left.compareTo(threshold) <= 0 && announced.add(m.credential().kind() + "/" + m.clientId() + "/"
                    + expiry + "/" + threshold)) {
                audit.noticed(AuditOutcome.EXPIRY_WARNING, m.type(), revision, List.of(text.in(Locale.ENGLISH)));
            }
        }
        return new EmailHealth.Concern(EmailHealth.Code.CREDENTIAL_EXPIRING, EmailHealth.Status.DEGRADED, text,
                expiry.minus(thresholds.get(0)));
    }

    /**
     * What to say of a configuration's credential that expires within the longest threshold, with no audit: for a
     * draft the connection check looks at.
     *
     * @param configuration the configuration, or null
     * @return the text, or null when nothing expires soon (or nothing is known)
     */
    @Nullable LocalizedText credentialText(@Nullable EmailConfiguration configuration) {
        Instant expiry = credentialExpiry(configuration);
        if (expiry == null || thresholds.isEmpty() || !(configuration instanceof MicrosoftOAuthConfiguration m)) {
            return null;
        }
        Duration left = Duration.between(clock.instant(), expiry);
        if (left.compareTo(thresholds.get(0)) > 0) {
            return null;
        }
        if (m.credential() instanceof MicrosoftOAuthConfiguration.ClientCertificate c) {
            return CoreTexts.text(left.isNegative() ? "health.clientCertificateExpired"
                    : "health.clientCertificateExpiring", m.clientId(), DAY.format(expiry), Math.max(0, left.toDays()),
                    c.thumbprint());
        }
        return CoreTexts.text(left.isNegative() ? "health.secretExpired" : "health.secretExpiring", m.clientId(),
                m.clientSecretExpires().orElseThrow(), Math.max(0, left.toDays()));
    }

    /**
     * When a configuration's credential expires, as far as known.
     *
     * @param configuration the configuration, or null
     * @return the instant, or null when unknown
     */
    static @Nullable Instant credentialExpiry(@Nullable EmailConfiguration configuration) {
        return configuration instanceof MicrosoftOAuthConfiguration m ? m.credentialExpiry().orElse(null) : null;
    }

    private static LocalizedText text(DeliveryEvent event, Instant expiry, Duration left) {
        return CoreTexts.text(left.isNegative() ? "health.certificateExpired" : "health.certificateExpiring",
                event.serverAddress(), event.serverPort(), DAY.format(expiry), Math.max(0, left.toDays()));
    }
}
