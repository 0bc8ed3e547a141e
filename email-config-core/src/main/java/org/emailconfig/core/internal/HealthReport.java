package org.emailconfig.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.emailconfig.api.DeliveryEvent;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.EmailHealth;
import org.emailconfig.api.EmailHealth.Code;
import org.emailconfig.api.EmailHealth.Concern;
import org.emailconfig.api.EmailHealth.Status;
import org.emailconfig.api.LocalizedText;
import org.emailconfig.api.Reason;
import org.emailconfig.core.internal.text.CoreTexts;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of email on this node, from evidence only: the configuration held in memory, the outcomes this node saw
 * ({@link DeliveryEvidence}), the outbox's oldest waiting notification (read at most every few seconds) and what is
 * known to end. It never opens a connection, never asks the store, and never throws.
 */
final class HealthReport {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");
    /** Failures that are the message's own: the next message may well go through. */
    private static final Set<Reason> MESSAGE_OWN = EnumSet.of(Reason.RECIPIENT_REJECTED, Reason.RELAY_DENIED,
            Reason.MESSAGE_REJECTED, Reason.MESSAGE_TOO_BIG);
    /** How often the outbox is read for health, at most: a health endpoint may be asked many times a second. */
    private static final long OUTBOX_READ_EVERY_MS = 5_000;

    private final ConfigurationInForce inForce;
    private final ExpiryWatch expiry;
    private final java.util.function.IntSupplier inUse;
    private final DeliveryEvidence evidence;
    private final @Nullable OutboxAdmin outbox;
    private final Duration backlogAfter;
    private final Clock clock;
    private final Instant started;
    private volatile @Nullable OldestPending oldest;

    private record OldestPending(long readAt, OutboxAdmin.@Nullable Waiting waiting) {
    }

    HealthReport(ConfigurationInForce inForce, DeliveryEvidence evidence, ExpiryWatch expiry,
                 @Nullable OutboxAdmin outbox, Duration backlogAfter, Clock clock,
                 java.util.function.IntSupplier inUse) {
        this.inUse = inUse;
        this.inForce = inForce;
        this.expiry = expiry;
        this.evidence = evidence;
        this.outbox = outbox;
        this.backlogAfter = backlogAfter;
        this.clock = clock;
        this.started = clock.instant();
    }

    EmailHealth health() {
        Instant now = clock.instant();
        List<Concern> concerns = new ArrayList<>();
        ConfigurationInForce.Snapshot held = inForce.held();
        long revision = held == null ? 0 : held.revision();
        Instant inForceSince = held == null ? started : held.stored().savedAt();
        EmailConfigException unusable = held == null ? null : held.unusable();
        EmailConfiguration configuration = held == null ? null : held.configuration();
        if (held == null) {
            concerns.add(new Concern(Code.NOT_CONFIGURED, Status.DOWN, CoreTexts.text("health.notConfigured"), started));
        } else if (unusable != null) {
            concerns.add(new Concern(Code.UNUSABLE, Status.DOWN, CoreTexts.text("health.unusable", revision,
                    unusable.reason(), hint(unusable)), inForceSince));
        } else if (configuration != null && ExchangeOnline.basicAuth(configuration)) {
            concerns.add(new Concern(Code.BASIC_AUTH_SWITCH_OFF, Status.DEGRADED,
                    ExchangeOnline.switchOffWarning(configuration), inForceSince));
        }
        DeliveryEvidence.OfRevision seen = revision == 0 ? null : evidence.of(revision).orElse(null);
        if (seen != null && seen.consecutiveFailures() > 0 && seen.lastFailure() != null) {
            concerns.add(failing(seen, revision));
        }
        EmailHealth.Concern secret = expiry.credential(configuration, revision);
        if (secret != null) {
            concerns.add(secret);
        }
        EmailHealth.Concern certificate = expiry.concern(seen == null ? null : seen.lastSuccess());
        if (certificate != null) {
            concerns.add(certificate);
        }
        OutboxAdmin.Waiting waiting = waiting(now);
        Duration age = waiting == null ? null : waiting.oldestAge();
        if (age != null && age.compareTo(backlogAfter) > 0) {
            concerns.add(new Concern(Code.OUTBOX_BACKLOG, Status.DEGRADED, CoreTexts.text("health.backlog",
                    age.toMinutes()), now.minus(age).plus(backlogAfter)));
        }
        Status status = concerns.stream().map(Concern::severity).max(Enum::compareTo).orElse(Status.UP);
        Instant since;
        if (status == Status.UP) {
            Instant up = seen == null ? null : seen.upSince();
            since = up != null && up.isAfter(inForceSince) ? up : inForceSince;
        } else {
            since = concerns.stream().filter(c -> c.severity() == status).map(Concern::since).min(Instant::compareTo)
                    .orElse(now);
        }
        return new EmailHealth(status, since, revision, concerns, seen == null ? null : seen.lastSuccess(),
                seen == null ? null : seen.lastFailure(), seen == null ? 0 : seen.consecutiveFailures(), age,
                waiting == null ? 0 : waiting.count(), inUse.getAsInt(), ExpiryWatch.credentialExpiry(configuration));
    }

    /**
     * A failing revision is DOWN when the last attempt was refused for good for a reason that is not the message's
     * own (no message can pass until someone changes something); otherwise DEGRADED.
     */
    private static Concern failing(DeliveryEvidence.OfRevision seen, long revision) {
        DeliveryEvent last = java.util.Objects.requireNonNull(seen.lastFailure());
        DeliveryFailedException failure = last.failure().orElseThrow();
        boolean uncertain = last.outcome() == DeliveryEvent.Outcome.MAYBE_DELIVERED;
        boolean down = last.outcome() == DeliveryEvent.Outcome.FAILED && !failure.temporary()
                && !MESSAGE_OWN.contains(failure.reason());
        String at = failure.step().map(s -> " at " + s.id()).orElse("");
        return new Concern(uncertain ? Code.DELIVERY_UNCERTAIN : Code.DELIVERY_FAILING, down ? Status.DOWN
                : Status.DEGRADED, CoreTexts.text(uncertain ? "health.uncertain" : "health.failing",
                seen.consecutiveFailures(), revision, failure.reason(), at, hint(failure)),
                seen.failingSince() != null ? seen.failingSince() : last.at());
    }

    private static LocalizedText hint(EmailConfigException e) {
        return e.specificHint().orElseGet(() -> LocalizedText.of(e.reason().hint(Locale.ENGLISH),
                Map.of(Locale.GERMAN, e.reason().hint(Locale.GERMAN))));
    }

    /** What waits in the outbox, read at most every few seconds; the last answer while the database does not answer. */
    private OutboxAdmin.@Nullable Waiting waiting(Instant now) {
        if (outbox == null) {
            return null;
        }
        OldestPending last = oldest;
        if (last == null || now.toEpochMilli() - last.readAt() >= OUTBOX_READ_EVERY_MS) {
            OutboxAdmin.Waiting waiting;
            try {
                waiting = outbox.waiting();
            } catch (RuntimeException e) {
                LOG.debug("Health could not read the outbox: {}", e.getMessage());
                waiting = last == null ? null : last.waiting();
            }
            last = new OldestPending(now.toEpochMilli(), waiting);
            oldest = last;
        }
        return last.waiting();
    }
}
