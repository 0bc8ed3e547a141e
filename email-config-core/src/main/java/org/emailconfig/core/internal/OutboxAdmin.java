package org.emailconfig.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.emailconfig.api.Actor;
import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.OutboxStatus;
import org.emailconfig.api.Reason;
import org.emailconfig.core.internal.OutboxRows.State;
import org.jspecify.annotations.Nullable;

/**
 * What an administrator sees of the outbox and decides about it: counts per revision, the notifications that need a
 * decision, resend and discard, each decision audited with the notification's id. The caller has checked that the
 * actor is an administrator.
 */
final class OutboxAdmin {

    /** The most notifications the view lists; the counts cover all. */
    static final int ATTENTION_LIMIT = 100;

    private final OutboxRows rows;
    private final Clock clock;
    private final AuditTrail audit;

    OutboxAdmin(OutboxRows rows, Clock clock, AuditTrail audit) {
        this.rows = rows;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * How many notifications wait and how long the oldest has waited: one count query, for health.
     *
     * @param count      how many wait
     * @param oldestAge  how long the oldest has waited, or null when none waits
     */
    record Waiting(int count, @Nullable Duration oldestAge) {
    }

    Waiting waiting() {
        long now = clock.millis();
        int count = 0;
        Duration oldest = null;
        for (OutboxRows.Count c : rows.counts()) {
            if (c.state() == State.FAILED || c.state() == State.MAYBE_DELIVERED) {
                continue;
            }
            count += c.count();
            Duration age = Duration.ofMillis(Math.max(0, now - c.oldestWritten()));
            oldest = oldest == null || age.compareTo(oldest) > 0 ? age : oldest;
        }
        return new Waiting(count, oldest);
    }

    OutboxStatus status(Locale locale) {
        long now = clock.millis();
        Map<Long, int[]> counts = new TreeMap<>(Comparator.reverseOrder());
        Map<Long, Long> oldest = new TreeMap<>();
        for (OutboxRows.Count c : rows.counts()) {
            int[] byKind = counts.computeIfAbsent(c.revision(), r -> new int[3]);
            switch (c.state()) {
                case FAILED -> byKind[1] += c.count();
                case MAYBE_DELIVERED -> byKind[2] += c.count();
                default -> {
                    byKind[0] += c.count();
                    oldest.merge(c.revision(), c.oldestWritten(), Math::min);
                }
            }
        }
        List<OutboxStatus.Revision> revisions = new ArrayList<>();
        counts.forEach((revision, n) -> {
            Long written = oldest.get(revision);
            revisions.add(new OutboxStatus.Revision(revision, n[0],
                    written == null ? null : Duration.ofMillis(Math.max(0, now - written)), n[1], n[2]));
        });
        List<OutboxStatus.Entry> attention = new ArrayList<>();
        for (OutboxRows.Decision d : rows.decisions(ATTENTION_LIMIT)) {
            Reason reason = reason(d.reason());
            attention.add(new OutboxStatus.Entry(d.id(), d.state() == State.FAILED ? OutboxStatus.Kind.FAILED
                    : OutboxStatus.Kind.MAYBE_DELIVERED, d.recipients().stream().map(EmailAddress::of).toList(),
                    d.subject(), Instant.ofEpochMilli(d.written()), Instant.ofEpochMilli(d.lastAttempt()), d.attempts(),
                    d.revision(), reason, step(d.step()), d.detail(), reason.hint(locale)));
        }
        return new OutboxStatus(Instant.ofEpochMilli(now), revisions, attention);
    }

    boolean resend(Actor actor, long id, long revisionInForce) {
        boolean done = rows.resend(id, clock.millis());
        if (done) {
            audit.notification(actor, AuditOutcome.NOTIFICATION_RESENT, id, revisionInForce);
        }
        return done;
    }

    boolean discard(Actor actor, long id, long revisionInForce) {
        boolean done = rows.discard(id, clock.millis());
        if (done) {
            audit.notification(actor, AuditOutcome.NOTIFICATION_DISCARDED, id, revisionInForce);
        }
        return done;
    }

    /** A stored reason; one this version does not know (written by a newer node) reads as a server error. */
    private static Reason reason(String name) {
        try {
            return Reason.valueOf(name);
        } catch (IllegalArgumentException e) {
            return Reason.SERVER_ERROR;
        }
    }

    private static @Nullable DeliveryStep step(@Nullable String name) {
        if (name == null) {
            return null;
        }
        try {
            return DeliveryStep.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
