package org.emailconfig.core.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.emailconfig.api.DeliveryEvent;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailConfigException;
import org.emailconfig.api.Notification;
import org.emailconfig.api.Reason;
import org.emailconfig.core.internal.OutboxRows.Accepted;
import org.emailconfig.core.internal.OutboxRows.Claimed;
import org.emailconfig.core.internal.OutboxRows.State;
import org.emailconfig.core.internal.smtp.EndOfData;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's worker on one node: claims due rows for a lease, sends each once with the configuration in force,
 * and records what happened, so that a row is sent by exactly one node and never twice where the server may have
 * it. Temporary failures come back after a backoff that honours Retry-After, until the retry window closes;
 * permanent ones, and a message whose end went out without a reply, are final. A node that dies hands its rows to
 * the others when the lease runs out: rows not ended yet go out again, ended ones are "may have been delivered".
 * Logs name rows by id, reason and step; never a recipient, subject or body.
 */
final class OutboxWorker {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.outbox");
    private static final long PRUNE_EVERY_MS = 60_000;
    private static final long FIRST_BACKOFF_MS = 1_000;
    private static final long MAX_BACKOFF_MS = 300_000;

    private final OutboxRows rows;
    private final MailboxGate gate;
    private final Notifications notifications;
    private final Clock clock;
    private final Settings settings;
    private final String node;
    private final ExecutorService senders;
    private final Thread loop;
    /**
     * Rows this node may hold claimed: one per sending thread and two more each waiting behind it, so a thread that
     * finishes a message starts the next at once instead of waiting for a claim, and the loop claims a batch of
     * {@code parallel} rows in one statement instead of one row per message sent.
     */
    private final Semaphore slots;
    /** Accepted messages not recorded yet: the loop records them together, off the sending threads. */
    private final Queue<Accepted> accepted = new ConcurrentLinkedQueue<>();
    /** How many wait in {@link #accepted}: the queue's own size walks it. */
    private final AtomicInteger acceptedCount = new AtomicInteger();
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running = true;
    /** Until when this node claims nothing: the mailbox's connections are all open on other nodes. */
    private volatile long claimsPausedUntil;
    private long lastPrune;
    private long lastHousekeeping;

    /**
     * How the worker runs.
     *
     * @param node        this node's name in claims
     * @param parallel    rows sent at once (the notification connections)
     * @param lease       how long a claim lasts before other nodes may take the row
     * @param pollInterval how often the outbox is looked at when nothing wakes the worker
     * @param retryWindow how long after it was written a temporarily failing row is still tried
     * @param keepSent    how long sent and discarded rows are kept
     */
    record Settings(String node, int parallel, Duration lease, Duration pollInterval, Duration retryWindow,
                    Duration keepSent) {
    }

    OutboxWorker(OutboxRows rows, MailboxGate gate, Notifications notifications, Clock clock, Settings settings) {
        this.rows = rows;
        this.gate = gate;
        this.notifications = notifications;
        this.clock = clock;
        this.settings = settings;
        this.node = settings.node();
        this.slots = new Semaphore(3 * settings.parallel());
        AtomicInteger n = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(settings.parallel(), r -> {
            Thread t = new Thread(r, "email-config-outbox-send-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.loop = new Thread(this::run, "email-config-outbox");
        loop.setDaemon(true);
    }

    void start() {
        loop.start();
    }

    /** Looks at the outbox now: a notification was just written on this node. */
    void wakeUp() {
        wake.release();
    }

    private void run() {
        while (running) {
            boolean full = false;
            try {
                full = round();
            } catch (RuntimeException e) {
                // The database is away or a row is odd: say so, and look again after the poll interval.
                LOG.warn("The outbox could not be read: {}", e.getMessage());
            }
            if (!full) {
                try {
                    // Woken early or not, the next round looks at the outbox; the permits of other wake-ups go with it.
                    boolean woken = wake.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    if (woken) {
                        wake.drainPermits();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One look at the outbox; true when it claimed as many rows as it had room for (more may be due). */
    private boolean round() {
        long now = clock.millis();
        // Housekeeping once per poll interval, not once per message: a busy node claims a row whenever one is sent.
        if (now - lastHousekeeping >= settings.pollInterval().toMillis()) {
            lastHousekeeping = now;
            try {
                gate.renew();
            } catch (RuntimeException e) {
                LOG.warn("The outbox could not keep this node's connection slots: {}", e.getMessage());
            }
            int expired = rows.expireLeases(now);
            if (expired > 0) {
                LOG.info("{} outbox row(s) whose node stopped during delivery were taken back", expired);
            }
        }
        if (now - lastPrune >= PRUNE_EVERY_MS) {
            rows.prune(now - settings.keepSent().toMillis());
            lastPrune = now;
        }
        if (now < claimsPausedUntil) {
            recordAccepted(now);
            return false;
        }
        int free = slots.drainPermits();
        if (free < settings.parallel()) {
            // Every thread has a row waiting behind the one it sends: claim and record together when a batch is
            // free, so a busy node writes a claim and a record per batch, not per message.
            slots.release(free);
            if (acceptedCount.get() >= settings.parallel()) {
                recordAccepted(now);
            }
            if (free == 0) {
                waitForASlot();
            }
            return false;
        }
        recordAccepted(now);
        List<Claimed> claimed;
        try {
            claimed = rows.claim(node, free, now, now + settings.lease().toMillis());
        } catch (RuntimeException e) {
            slots.release(free);
            throw e;
        }
        slots.release(free - claimed.size());
        for (Claimed row : claimed) {
            try {
                senders.execute(new Send(row));
            } catch (RejectedExecutionException closing) {
                // Claimed while the service closes: give it back at once rather than hold it for the lease.
                slots.release();
                rows.holdBack(row, now, now);
            }
        }
        return !claimed.isEmpty() && claimed.size() == free;
    }

    /** One claimed row on its way to a sending thread; a row whose send never started is given back on close. */
    private final class Send implements Runnable {
        final Claimed row;

        Send(Claimed row) {
            this.row = row;
        }

        @Override
        public void run() {
            try {
                deliver(row);
            } finally {
                slots.release();
                wake.release();
            }
        }
    }

    /**
     * Records the accepted messages in one transaction. When the database does not answer they wait for the next
     * round: until recorded they stay ended, so no node sends them again; after the lease they read "may have been
     * delivered" until the record arrives and settles them as sent.
     */
    private void recordAccepted(long now) {
        List<Accepted> batch = new ArrayList<>();
        for (Accepted a = accepted.poll(); a != null; a = accepted.poll()) {
            acceptedCount.decrementAndGet();
            batch.add(a);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            rows.sent(batch);
        } catch (RuntimeException e) {
            accepted.addAll(batch);
            acceptedCount.addAndGet(batch.size());
            LOG.warn("The outbox could not record {} sent notification(s) yet: {}", batch.size(), e.getMessage());
        }
    }

    /** Waits for a sending thread to come free, at most one poll interval (the slots need renewing meanwhile). */
    private void waitForASlot() {
        try {
            if (slots.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                slots.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The mark of one row's point of no return: recorded once; once refused, refused again on a reconnect. */
    private final class RowMark implements EndOfData.Mark {
        private final Claimed row;
        boolean marked;
        @Nullable String refused;

        RowMark(Claimed row) {
            this.row = row;
        }

        @Override
        public void reached() throws IOException {
            if (refused != null) {
                throw new IOException(refused);
            }
            if (marked) {
                return;
            }
            long now = clock.millis();
            try {
                if (!rows.markEndOfData(row, now + settings.lease().toMillis(), now)) {
                    refused = "outbox row " + row.id() + " was taken over by another node";
                }
            } catch (RuntimeException e) {
                refused = "the outbox could not record that row " + row.id() + " is being ended: " + e.getMessage();
            }
            if (refused != null) {
                throw new IOException(refused);
            }
            marked = true;
        }
    }

    private void deliver(Claimed row) {
        RowMark mark = new RowMark(row);
        Notifications.Attempt attempt;
        try {
            attempt = EndOfData.marking(mark, () -> notifications.attemptOnce(row.notification(),
                    "outbox." + row.id() + "." + row.createdAt()));
        } catch (RuntimeException e) {
            // Thrown rather than returned: nothing in force to send with (not configured yet, or unusable on this
            // node), which comes back later; or a provider that failed unexpectedly, whose message may have gone out
            // if its point of no return was passed, and which would fail the same way again otherwise.
            Reason reason = e instanceof EmailConfigException c ? c.reason() : Reason.PROVIDER_FAILURE;
            boolean comesBack = e instanceof EmailConfigException && !(e instanceof DeliveryFailedException);
            attempt = new Notifications.Attempt(0, DeliveryFailedException.builder(reason,
                    "Not sent: " + (e instanceof EmailConfigException ? e.getMessage() : e.getClass().getName()))
                    .temporary(comesBack).possiblyDelivered(mark.marked).build(), false);
        }
        if (mark.refused != null) {
            // Not ended: nothing went out. Another node owns the row, or its lease will hand it on.
            LOG.info("Outbox row {} not sent: {}", row.id(), mark.refused);
            return;
        }
        long now = clock.millis();
        try {
            DeliveryFailedException held = attempt.failure();
            if (attempt.heldBack() && held != null) {
                // Nothing reached the server: the row waits, visible as pending, and no attempt is counted. Without
                // a wait (every connection of the mailbox is open on other nodes), it is due again at once for the
                // nodes that hold them, and this node leaves the outbox to them until its next look.
                // With a wait (the budget is spent), every row would meet the same limit until then.
                long wait = held.retryAfter().orElse(Duration.ZERO).toMillis();
                claimsPausedUntil = Math.max(claimsPausedUntil, now + (wait == 0 ? settings.pollInterval().toMillis() : wait));
                rows.holdBack(row, now + wait, now);
                return;
            }
            if (!running && held != null && !held.possiblyDelivered()) {
                // This node closed under the send (its connections and timers went with it): not the message's
                // failure. Due again at once for any node, without counting the attempt.
                LOG.info("Outbox row {} not sent: this node closed during its delivery; it is due again", row.id());
                rows.holdBack(row, now, now);
                return;
            }
            record(row, attempt, now);
        } catch (RuntimeException e) {
            // The outcome is lost with the update; the lease runs out and the row reads "may have been delivered" if
            // it was ended, or goes out again if not.
            LOG.warn("Outbox row {}: the outcome could not be recorded: {}", row.id(), e.getMessage());
        }
    }

    private void record(Claimed row, Notifications.Attempt attempt, long now) {
        DeliveryFailedException failure = attempt.failure();
        Notification remaining = failure == null ? null
                : Notifications.without(row.notification(), failure.deliveredRecipients());
        if (failure == null || remaining == null) {
            notifications.evidence(attempt, DeliveryEvent.Outcome.SENT, null, row.attempts());
            accepted.add(new Accepted(row, attempt.revision(), now));
            acceptedCount.incrementAndGet();
            if (!running) {
                // The loop has stopped: a send that outlived the drain records itself.
                recordAccepted(now);
            }
            return;
        }
        if (failure.possiblyDelivered()) {
            LOG.warn("Outbox row {} may have been delivered ({} at {}): it is not sent again", row.id(),
                    failure.reason(), failure.step().map(Enum::name).orElse("?"));
            notifications.evidence(attempt, DeliveryEvent.Outcome.MAYBE_DELIVERED, failure, row.attempts());
            rows.finish(row, State.MAYBE_DELIVERED, attempt.revision(), failure, remaining, now);
            return;
        }
        long due = now + backoff(row.attempts(), failure.retryAfter().orElse(Duration.ZERO));
        boolean windowClosed = due > row.createdAt() + settings.retryWindow().toMillis();
        if (!failure.temporary() || windowClosed) {
            LOG.warn("Outbox row {} failed after {} attempt(s): {}{}", row.id(), row.attempts(), failure.reason(),
                    failure.temporary() ? " (the retry window closed)" : "");
            notifications.evidence(attempt, DeliveryEvent.Outcome.FAILED, failure, row.attempts());
            rows.finish(row, State.FAILED, attempt.revision(), failure, remaining, now);
            return;
        }
        LOG.info("Outbox row {} attempt {} failed temporarily ({}); due again in {} ms", row.id(), row.attempts(),
                failure.reason() == Reason.NOT_CONFIGURED ? "not configured yet" : failure.reason(), due - now);
        notifications.evidence(attempt, DeliveryEvent.Outcome.RETRIED, failure, row.attempts());
        rows.retry(row, attempt.revision(), failure, remaining, due, now);
    }

    /**
     * The wait before a row's next attempt: from 1 second, doubling, at most 5 minutes, with jitter (half to all of
     * the step); never shorter than what the server asked. Longer than a direct send's: the caller is not waiting.
     */
    static long backoff(int attempts, Duration retryAfter) {
        long step = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(attempts - 1, 20));
        long jittered = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
        return Math.max(jittered, retryAfter.toMillis());
    }

    /**
     * Stops claiming and waits for the rows being sent, up to a time; rows still in flight after it keep their
     * lease and are taken back by whichever node looks after it runs out.
     *
     * @param drain how long to wait
     */
    void close(Duration drain) {
        running = false;
        wake.release();
        loop.interrupt();
        senders.shutdown();
        try {
            if (!senders.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
                giveBack(senders.shutdownNow());
            }
            loop.join(drain.toMillis());
        } catch (InterruptedException e) {
            giveBack(senders.shutdownNow());
            Thread.currentThread().interrupt();
        }
        recordAccepted(clock.millis());
    }

    /** Rows claimed ahead whose send never started: due again at once for any node, not after the lease. */
    private void giveBack(List<Runnable> neverStarted) {
        long now = clock.millis();
        for (Runnable r : neverStarted) {
            if (r instanceof Send send) {
                try {
                    rows.holdBack(send.row, now, now);
                } catch (RuntimeException e) {
                    LOG.info("Outbox row {} goes to another node when its lease runs out: {}", send.row.id(), e.getMessage());
                }
            }
        }
    }
}
