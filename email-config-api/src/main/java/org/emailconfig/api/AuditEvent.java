package org.emailconfig.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A record of one attempt to change or test the configuration. It names fields, never their values
 * for secrets.
 *
 * @param at            when it happened
 * @param actorId       who tried
 * @param outcome       how it ended
 * @param type          the authentication type involved, or null if unknown
 * @param changedFields names of fields that differ from the configuration in force (secret fields
 *                      are listed when a new value was entered, without the value)
 * @param revision      the revision in force afterwards
 * @param reason        the failure reason, or null on success
 */
public record AuditEvent(Instant at, String actorId, AuditOutcome outcome, String type, Set<String> changedFields,
                         long revision, Reason reason) {

    /** Copies the field set. */
    public AuditEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actorId, "actorId");
        Objects.requireNonNull(outcome, "outcome");
        changedFields = Set.copyOf(changedFields);
    }
}
