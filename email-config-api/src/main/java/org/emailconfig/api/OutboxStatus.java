package org.emailconfig.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What the outbox holds, as an administrator sees it ({@link EmailConfigurationService#outbox}): how many
 * notifications wait, per revision of the configuration they were last tried with, how old the oldest is, and the
 * ones that need a decision (failed for good, or may have been delivered) with what happened to them. Never a
 * message body.
 *
 * @param at        when it was read
 * @param revisions the counts per revision, the newest first; revision 0 holds the notifications not tried yet
 * @param attention the notifications that need an administrator's decision, the newest first (at most 100)
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.3")
public record OutboxStatus(Instant at, List<Revision> revisions, List<Entry> attention) {

    /**
     * Copies the lists.
     *
     * @param at        when it was read
     * @param revisions the counts per revision, the newest first
     * @param attention the notifications that need a decision, the newest first
     */
    public OutboxStatus {
        Objects.requireNonNull(at, "at");
        revisions = List.copyOf(revisions);
        attention = List.copyOf(attention);
    }

    /**
     * How many notifications wait to be sent, whatever revision they were tried with.
     *
     * @return zero or more
     */
    public int pending() {
        return revisions.stream().mapToInt(Revision::pending).sum();
    }

    /**
     * How long the oldest waiting notification has waited: a mail provider that throttles or refuses shows here first.
     *
     * @return empty when none waits
     */
    public Optional<Duration> oldestPendingAge() {
        return revisions.stream().map(Revision::oldestPendingAge).filter(Objects::nonNull).max(Duration::compareTo);
    }

    /**
     * The counts of one revision.
     *
     * @param revision         the configuration revision the notifications were last tried with; 0 for not tried yet
     * @param pending          waiting to be sent (due now or later, or being sent)
     * @param oldestPendingAge how long the oldest of them has waited; null when none waits
     * @param failed           refused for good, or given up on after the retry window
     * @param maybeDelivered   the end of the message went out and the reply was lost
     */
    public record Revision(long revision, int pending, @Nullable Duration oldestPendingAge, int failed,
                           int maybeDelivered) {
    }

    /** Why a notification needs a decision. */
    public enum Kind {
        /** Refused for good, or given up on after the retry window; {@code resend} tries again. */
        FAILED,
        /** The end of the message went out and the reply was lost: the recipient may have it; never sent again on its
         * own. */
        MAYBE_DELIVERED
    }

    /**
     * One notification that needs a decision: resend it ({@link EmailConfigurationService#resendNotification}) or
     * discard it ({@link EmailConfigurationService#discardNotification}).
     *
     * @param id          its id in the outbox
     * @param kind        why it needs a decision
     * @param recipients  who did not get it
     * @param subject     its subject (never the body)
     * @param written     when the host wrote it
     * @param lastAttempt when it was last tried
     * @param attempts    how often it was tried
     * @param revision    the configuration revision of the last attempt
     * @param reason      the classified failure
     * @param step        where the delivery got to; null when unknown
     * @param detail      what failed, in English, as the library's messages read (never a secret or a body)
     * @param hint        what to do, in the administrator's language
     */
    public record Entry(long id, Kind kind, List<EmailAddress> recipients, String subject, Instant written,
                        Instant lastAttempt, int attempts, long revision, Reason reason, @Nullable DeliveryStep step,
                        String detail, String hint) {

        /**
         * Copies the recipients.
         *
         * @param id          its id in the outbox
         * @param kind        why it needs a decision
         * @param recipients  who did not get it
         * @param subject     its subject
         * @param written     when the host wrote it
         * @param lastAttempt when it was last tried
         * @param attempts    how often it was tried
         * @param revision    the configuration revision of the last attempt
         * @param reason      the classified failure
         * @param step        where the delivery got to; null when unknown
         * @param detail      what failed, in English
         * @param hint        what to do, in the administrator's language
         */
        public Entry {
            recipients = List.copyOf(recipients);
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
