package org.emailconfig.core.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.Reason;
import org.emailconfig.api.spi.MailDelivery;

/**
 * A bounded pool of kept-open deliveries of the configuration in force. At most {@code size} deliveries
 * exist at once (open or in use); a thread that finds none free waits for one. A delivery belongs to one
 * configuration in force (its snapshot's serial, which unlike a generation number never comes back after a
 * restore): once another is in force, deliveries of the old one finish the message they are sending and are
 * closed, and new ones are opened for the new one. A delivery that has
 * carried {@code maxMessages} messages, or lay idle longer than the idle timeout, is closed too.
 *
 * <p>No lock is held while a delivery opens or sends; the pool's monitor only guards its list of idle
 * deliveries.
 */
final class DeliveryPool implements AutoCloseable {

    /** One pooled delivery and what the pool knows about it. */
    static final class Pooled {
        final MailDelivery delivery;
        final long generation;
        int messages;
        long idleSince;

        Pooled(MailDelivery delivery, long generation) {
            this.delivery = delivery;
            this.generation = generation;
        }
    }

    /** Opens a delivery for a generation. */
    interface Opener {
        MailDelivery open();
    }

    private final int size;
    private final int maxMessages;
    private final long idleNanos;
    private final Semaphore permits;
    private final Deque<Pooled> idle = new ArrayDeque<>();
    private final LongSupplier generationInForce;
    private final ScheduledExecutorService sweeper;
    private boolean closed;

    /**
     * A pool.
     *
     * @param size            how many deliveries may exist at once
     * @param maxMessages     messages per delivery before it is replaced; 0 for no limit
     * @param idleTimeout     how long an unused delivery stays open
     * @param generationInForce the generation deliveries must belong to, asked when a delivery is returned
     */
    DeliveryPool(int size, int maxMessages, Duration idleTimeout, LongSupplier generationInForce) {
        this.maxMessages = maxMessages;
        this.idleNanos = idleTimeout.toNanos();
        this.size = size;
        this.permits = new Semaphore(size, true);
        this.generationInForce = generationInForce;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "email-config-idle-connections");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(50, idleTimeout.toMillis() / 2);
        sweeper.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /** A borrowed delivery; {@link #reused} says whether it carried messages before. */
    record Lease(Pooled pooled, boolean reused) {
    }

    /** How many deliveries are leased out right now (sending, or about to). */
    int inUse() {
        return size - permits.availablePermits();
    }

    /**
     * Borrows a delivery of a generation: an idle one if there is one, else a new one. Waits while all are in
     * use.
     *
     * @throws DeliveryFailedException when a new one cannot be opened (the permit is given back), or the
     *                                 thread is interrupted while waiting
     */
    Lease acquire(long generation, Opener opener) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryFailedException.builder(Reason.SERVER_ERROR, "Interrupted while waiting for a free "
                    + "connection for a notification").step(DeliveryStep.CONNECT).temporary(false).build();
        }
        List<Pooled> stale = new ArrayList<>();
        Pooled found = null;
        synchronized (this) {
            // Most recently used first: its connection is the least likely to have been dropped by the server.
            while (!idle.isEmpty()) {
                Pooled p = idle.pollFirst();
                if (p.generation == generation && p.delivery.isOpen() && !expired(p, System.nanoTime())) {
                    found = p;
                    break;
                }
                stale.add(p);
            }
        }
        stale.forEach(p -> p.delivery.close());
        if (found != null) {
            return new Lease(found, true);
        }
        try {
            return new Lease(new Pooled(opener.open(), generation), false);
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /**
     * Gives a delivery back: kept for the next message when it is healthy, of the generation in force and
     * below its message limit; closed otherwise.
     *
     * @param lease   what {@link #acquire} gave
     * @param healthy false when the last send failed in a way that leaves the connection in doubt
     */
    void release(Lease lease, boolean healthy) {
        Pooled p = lease.pooled();
        p.messages++;
        boolean keep = healthy && p.delivery.isOpen() && p.generation == generationInForce.getAsLong()
                && (maxMessages == 0 || p.messages < maxMessages);
        if (keep) {
            synchronized (this) {
                if (!closed) {
                    p.idleSince = System.nanoTime();
                    idle.addFirst(p);
                    keep = true;
                } else {
                    keep = false;
                }
            }
        }
        if (!keep) {
            p.delivery.close();
        }
        permits.release();
    }

    private boolean expired(Pooled p, long now) {
        return now - p.idleSince > idleNanos;
    }

    private void closeIdle() {
        List<Pooled> expired = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            for (Iterator<Pooled> it = idle.iterator(); it.hasNext(); ) {
                Pooled p = it.next();
                if (expired(p, now) || p.generation != generationInForce.getAsLong()) {
                    it.remove();
                    expired.add(p);
                }
            }
        }
        expired.forEach(p -> p.delivery.close());
    }

    /** Closes the idle deliveries; deliveries in use are closed when they are given back. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        List<Pooled> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(idle);
            idle.clear();
        }
        all.forEach(p -> p.delivery.close());
    }
}
