package org.emailconfig.core.internal;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import org.emailconfig.api.Actor;
import org.emailconfig.api.AuditEvent;
import org.emailconfig.api.AuditListener;
import org.emailconfig.api.AuditOutcome;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.Reason;
import org.emailconfig.core.internal.text.LogSafe;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: every administrative outcome as one line of the {@code org.emailconfig.audit} log and one
 * {@link AuditEvent} to each listener the host registered, with what an actor typed made safe for a log.
 */
final class AuditTrail {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");
    private static final Logger AUDIT = LoggerFactory.getLogger("org.emailconfig.audit");

    private final Clock clock;
    private final List<AuditListener> listeners;

    AuditTrail(Clock clock, List<AuditListener> listeners) {
        this.clock = clock;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Records a save.
     *
     * @param failure          the failed test email of a save that stored anyway, or null
     * @param replacingDamaged whether it replaced a configuration that could not be read
     */
    void saved(Actor actor, @Nullable String type, Set<String> changed, long revision,
               @Nullable DeliveryFailedException failure, boolean replacingDamaged, List<String> warnings) {
        AuditOutcome outcome = failure != null ? AuditOutcome.SAVED_DESPITE_FAILED_TEST
                : replacingDamaged ? AuditOutcome.SAVED_REPLACING_DAMAGED : AuditOutcome.SAVED;
        record(actor, outcome, type, changed, revision, failure == null ? null : failure.reason(), warnings);
    }

    /** Records an outcome without warnings. */
    void record(Actor actor, AuditOutcome outcome, @Nullable String type, Set<String> changed, long revision,
                @Nullable Reason reason) {
        record(actor, outcome, type, changed, revision, reason, List.of());
    }

    /** Records an outcome: the audit log, then every listener (one that fails is logged, never the caller's problem). */
    void record(Actor actor, AuditOutcome outcome, @Nullable String type, Set<String> changed, long revision,
                @Nullable Reason reason, List<String> warnings) {
        // The type may be whatever a non-administrator submitted; the actor id is the host's, but not trusted either.
        String actorId = LogSafe.present(actor.id());
        String safeType = LogSafe.text(type);
        AUDIT.info("{} by {}: type={}, changed={}, revision={}, reason={}{}", outcome, actorId, safeType, changed,
                revision, reason, warnings.isEmpty() ? "" : ", warnings=" + warnings);
        tell(new AuditEvent(clock.instant(), actorId, outcome, safeType, changed, revision, reason, warnings, 0));
    }

    /** Records what an administrator decided about a notification of the outbox: its id, never its content. */
    void notification(Actor actor, AuditOutcome outcome, long id, long revision) {
        String actorId = LogSafe.present(actor.id());
        AUDIT.info("{} by {}: notification={}, revision={}", outcome, actorId, id, revision);
        tell(new AuditEvent(clock.instant(), actorId, outcome, null, Set.of(), revision, null, List.of(), id));
    }

    /** Records what the library noticed itself, with no actor (an expiry coming): its actor is the library. */
    void noticed(AuditOutcome outcome, @Nullable String type, long revision, List<String> warnings) {
        AUDIT.info("{} noticed by the library: type={}, revision={}, warnings={}", outcome, type, revision, warnings);
        tell(new AuditEvent(clock.instant(), "email-config", outcome, type, Set.of(), revision, null, warnings, 0));
    }

    private void tell(AuditEvent event) {
        for (AuditListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.error("Audit listener {} failed", l.getClass().getName(), e);
            }
        }
    }
}
