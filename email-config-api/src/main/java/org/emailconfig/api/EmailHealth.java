package org.emailconfig.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Whether email works on this node, read from evidence and never from a probe: the outcomes of real deliveries, the
 * configuration in force, the outbox's oldest waiting notification, and what is known to end (Microsoft's switch-off
 * of SMTP basic authentication). Reading it opens no connection and sends nothing, so a health endpoint may ask as
 * often as it likes. Holds no recipient, subject, body or secret.
 *
 * <p>{@link Status#DOWN} only when email cannot work: nothing configured, a configuration this node cannot use, or
 * the last attempt refused for good for a reason that is not the message's own (a wrong password, a missing
 * permission, an untrusted certificate) with no success since. Anything that still lets mail through, or may pass
 * by itself, is {@link Status#DEGRADED}. A host's liveness check should not use it: email being down is no reason to
 * restart the application.
 *
 * @param status              the worst of the concerns; {@link Status#UP} without any
 * @param since               when this status began, as far as this node saw it
 * @param revision            the configuration revision in force; 0 when none
 * @param concerns            what is wrong or will go wrong, the most severe first; empty when UP
 * @param lastSuccess         the last message the server accepted with this revision on this node, or null
 * @param lastFailure         the last failed attempt with this revision on this node, or null
 * @param consecutiveFailures failed attempts since the last success with this revision on this node
 * @param oldestPendingAge    how long the outbox's oldest waiting notification has waited; null without an outbox or
 *                            when none waits
 * @param outboxPending       how many notifications wait in the outbox; 0 without one
 * @param connectionsInUse    how many of this node's notification connections are sending right now
 * @param credentialExpiry    when the configuration's credential expires, as far as known (the Microsoft client secret
 *                            by the date the admin entered: the end of that day, UTC); null when unknown
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.4")
public record EmailHealth(Status status, Instant since, long revision, List<Concern> concerns,
                          @Nullable DeliveryEvent lastSuccess, @Nullable DeliveryEvent lastFailure,
                          int consecutiveFailures, @Nullable Duration oldestPendingAge, int outboxPending,
                          int connectionsInUse, @Nullable Instant credentialExpiry) {

    /** Whether email works. */
    public enum Status {
        /** Works, as far as the evidence shows. */
        UP,
        /** Works, or may again by itself, but something needs attention. */
        DEGRADED,
        /** Cannot work until someone changes something. */
        DOWN
    }

    /** What a concern is about. */
    public enum Code {
        /** No configuration was saved yet. */
        NOT_CONFIGURED,
        /** The configuration in force cannot be used on this node (its secret cannot be opened, its provider is gone). */
        UNUSABLE,
        /** The last attempt failed and no success followed. */
        DELIVERY_FAILING,
        /** The end of a message went out and its reply was lost: it may have been delivered. */
        DELIVERY_UNCERTAIN,
        /** The outbox's oldest waiting notification has waited long. */
        OUTBOX_BACKLOG,
        /** The configuration signs in to Exchange Online with a password, which Microsoft switches off. */
        BASIC_AUTH_SWITCH_OFF,
        /** The mail server's certificate, as real sends saw it, expires within the warning threshold. */
        CERTIFICATE_EXPIRING,
        /** A credential of the configuration (the Microsoft client secret, by the date the admin entered) expires. */
        CREDENTIAL_EXPIRING
    }

    /**
     * One thing that is wrong or will go wrong.
     *
     * @param code     what it is about
     * @param severity how bad: {@link Status#DEGRADED} or {@link Status#DOWN}
     * @param text     what happened and what to do, in English and German
     * @param since    when it began
     */
    public record Concern(Code code, Status severity, LocalizedText text, Instant since) {
        /**
         * Checks the parts.
         *
         * @param code     what it is about
         * @param severity how bad, never UP
         * @param text     the words
         * @param since    when it began
         */
        public Concern {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(since, "since");
            if (Objects.requireNonNull(severity, "severity") == Status.UP) {
                throw new IllegalArgumentException("a concern is DEGRADED or DOWN");
            }
        }
    }

    /**
     * Orders the concerns, the most severe and then the oldest first.
     *
     * @param status              the worst of the concerns
     * @param since               when this status began
     * @param revision            the revision in force
     * @param concerns            the concerns
     * @param lastSuccess         the last success, or null
     * @param lastFailure         the last failure, or null
     * @param consecutiveFailures failures since the last success
     * @param oldestPendingAge    the outbox's oldest wait, or null
     * @param outboxPending       notifications waiting in the outbox
     * @param connectionsInUse    connections sending right now
     * @param credentialExpiry    when the credential expires, or null
     */
    public EmailHealth {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(since, "since");
        concerns = List.copyOf(concerns.stream().sorted(Comparator.comparing(Concern::severity).reversed()
                .thenComparing(Concern::since)).toList());
        Status worst = concerns.isEmpty() ? Status.UP : concerns.get(0).severity();
        if (worst != status) {
            throw new IllegalArgumentException("status " + status + " is not the worst concern's " + worst);
        }
    }
}
