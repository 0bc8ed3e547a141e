package org.emailconfig.core.internal;

import java.util.List;

import org.apiguardian.api.API;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.Notification;
import org.jspecify.annotations.Nullable;

/**
 * The outbox's rows as the worker on every node uses them. Every change to a claimed row names the claim it was
 * made under, and does nothing when another node has claimed the row since: a node that comes back after its lease
 * ran out can neither send nor record what another node now owns ({@link #markEndOfData} is the fence).
 */
@API(status = API.Status.INTERNAL, since = "0.3")
public interface OutboxRows {

    /**
     * A row this node claimed.
     *
     * @param id           the row
     * @param claim        the claim it was taken under
     * @param notification what to send: the recipients who do not have it yet
     * @param attempts     attempts so far, this one included
     * @param createdAt    when it was written, epoch milliseconds
     */
    record Claimed(long id, long claim, Notification notification, int attempts, long createdAt) {
    }

    /**
     * Claims up to {@code max} rows that are due, oldest first, for a lease.
     *
     * @param node       this node's name, kept with the claim
     * @param max        how many at most
     * @param now        now, epoch milliseconds
     * @param leaseUntil when the claim runs out unless the row moves on
     * @return the claimed rows, possibly none
     */
    List<Claimed> claim(String node, int max, long now, long leaseUntil);

    /**
     * Records that the end of the message is about to go out: from here a lost reply means "may have been
     * delivered", never a retry.
     *
     * @param row        the claimed row
     * @param leaseUntil the lease from now on
     * @param now        now
     * @return false when the row is no longer this claim's: the message must not be ended
     */
    boolean markEndOfData(Claimed row, long leaseUntil, long now);

    /**
     * A message the server accepted.
     *
     * @param row      the claimed row
     * @param revision the configuration revision it went out with
     * @param at       when the server accepted it, epoch milliseconds
     */
    record Accepted(Claimed row, long revision, long at) {
    }

    /**
     * Records messages the server accepted, in one transaction: a node records them together, since a row whose
     * acceptance is not recorded yet is never sent again (it is ended), so nothing waits on the record.
     *
     * @param accepted the accepted rows
     */
    void sent(List<Accepted> accepted);

    /**
     * A temporary failure: the row is due again later, for the recipients who do not have it yet.
     *
     * @param row       the claimed row
     * @param revision  the revision of the attempt, 0 when none was in force
     * @param failure   what happened; its message and hint are kept, never a body
     * @param remaining the notification for the recipients still waiting
     * @param dueAt     when it is due again
     * @param now       now
     */
    void retry(Claimed row, long revision, DeliveryFailedException failure, Notification remaining, long dueAt, long now);

    /**
     * The row was held back before reaching the server (the mailbox's limits across the nodes): due again later,
     * and the claim does not count as an attempt.
     *
     * @param row   the claimed row
     * @param dueAt when it is due again
     * @param now   now
     */
    void holdBack(Claimed row, long dueAt, long now);

    /**
     * A final outcome other than sent: {@link State#FAILED} or {@link State#MAYBE_DELIVERED}.
     *
     * @param row       the claimed row
     * @param state     the outcome
     * @param revision  the revision of the attempt
     * @param failure   what happened
     * @param remaining the notification for the recipients who did not get it
     * @param now       now
     */
    void finish(Claimed row, State state, long revision, DeliveryFailedException failure, Notification remaining,
                long now);

    /**
     * Rows whose lease ran out: not ended yet, they are due again at once (another node may take them); ended,
     * they may have been delivered.
     *
     * @param now now
     * @return how many rows changed
     */
    int expireLeases(long now);

    /**
     * Deletes rows sent or discarded before a time.
     *
     * @param before epoch milliseconds
     * @return how many
     */
    int prune(long before);

    /**
     * The counts of one revision and state: rows of revision 0 were never tried.
     *
     * @param revision      the revision of the last attempt, 0 for none
     * @param state         the state
     * @param count         how many rows
     * @param oldestWritten when the oldest of them was written, epoch milliseconds
     */
    record Count(long revision, State state, int count, long oldestWritten) {
    }

    /**
     * A row that needs an administrator's decision.
     *
     * @param id          the row
     * @param state       {@link State#FAILED} or {@link State#MAYBE_DELIVERED}
     * @param recipients  who did not get it
     * @param subject     its subject
     * @param written     when it was written
     * @param lastAttempt when it was last tried
     * @param attempts    how often
     * @param revision    the revision of the last attempt
     * @param reason      the stored reason's name
     * @param step        the stored step's name, or null
     * @param detail      the stored message
     */
    record Decision(long id, State state, List<String> recipients, String subject, long written, long lastAttempt,
                    int attempts, long revision, String reason, @Nullable String step, String detail) {
        /** Copies the recipients. */
        public Decision {
            recipients = List.copyOf(recipients);
        }
    }

    /**
     * The counts per revision and state of the rows that are not sent or discarded.
     *
     * @return the counts
     */
    List<Count> counts();

    /**
     * The rows that need a decision, the newest first.
     *
     * @param limit how many at most
     * @return the rows
     */
    List<Decision> decisions(int limit);

    /**
     * Makes a row that failed or may have been delivered due again at once, with a new retry window.
     *
     * @param id  the row
     * @param now now
     * @return false when the row is in neither state (any more)
     */
    boolean resend(long id, long now);

    /**
     * Discards a row that waits, failed or may have been delivered.
     *
     * @param id  the row
     * @param now now
     * @return false when the row is in none of those states (any more)
     */
    boolean discard(long id, long now);

    /** The states of a row, as stored. */
    enum State {
        /** Waiting to be due, or due. */
        PENDING,
        /** Claimed by a node; the end of the message has not gone out. */
        SENDING,
        /** Claimed; the end of the message went out (or is going out). */
        END_OF_DATA,
        /** The server accepted it. */
        SENT,
        /** Refused for good, or given up on after the retry window. */
        FAILED,
        /** The end went out and the reply was lost: never sent again on its own. */
        MAYBE_DELIVERED,
        /** An administrator discarded it. */
        DISCARDED
    }
}
