package org.emailconfig.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

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
 * @param warnings      what was stored despite a weaker choice the application allows (a password sent
 *                      unencrypted); empty when nothing
 * @param notification  the outbox notification an administrator resent or discarded; 0 for every other event
 */
@API(status = API.Status.STABLE, since = "0.1")
public record AuditEvent(Instant at, String actorId, AuditOutcome outcome, @Nullable String type,
                         Set<String> changedFields, long revision, @Nullable Reason reason, List<String> warnings,
                         long notification) {

    /**
     * Copies the field set and warnings.
     *
     * @param at when it happened
     * @param actorId who tried
     * @param outcome how it ended
     * @param type the authentication type involved, or null if unknown
     * @param changedFields names of fields that differ from the configuration in force (secret fields are listed when a new value was entered, without the value)
     * @param revision the revision in force afterwards
     * @param reason the failure reason, or null on success
     * @param warnings what was stored despite a weaker choice the application allows (a password sent unencrypted); empty when nothing
     * @param notification the outbox notification an administrator resent or discarded; 0 for every other event
     */
    public AuditEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actorId, "actorId");
        Objects.requireNonNull(outcome, "outcome");
        changedFields = Set.copyOf(changedFields);
        warnings = List.copyOf(warnings);
    }

    /**
     * An event about the configuration, as 0.2 made it.
     *
     * @param at            when it happened
     * @param actorId       who tried
     * @param outcome       how it ended
     * @param type          the authentication type involved, or null if unknown
     * @param changedFields names of fields that differ from the configuration in force
     * @param revision      the revision in force afterwards
     * @param reason        the failure reason, or null on success
     * @param warnings      what was stored despite a weaker choice the application allows; empty when nothing
     */
    public AuditEvent(Instant at, String actorId, AuditOutcome outcome, @Nullable String type,
                      Set<String> changedFields, long revision, @Nullable Reason reason, List<String> warnings) {
        this(at, actorId, outcome, type, changedFields, revision, reason, warnings, 0);
    }

    /**
     * An event without warnings.
     *
     * @param at            when
     * @param actorId       who
     * @param outcome       how it ended
     * @param type          the type, or null
     * @param changedFields changed field names
     * @param revision      the revision in force afterwards
     * @param reason        the failure reason, or null
     */
    public AuditEvent(Instant at, String actorId, AuditOutcome outcome, @Nullable String type,
                      Set<String> changedFields, long revision, @Nullable Reason reason) {
        this(at, actorId, outcome, type, changedFields, revision, reason, List.of(), 0);
    }
}
