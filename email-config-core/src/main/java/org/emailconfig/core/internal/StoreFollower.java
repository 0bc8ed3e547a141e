package org.emailconfig.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.emailconfig.api.spi.ConfigStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.emailconfig.core.internal.store.GuardedStore;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a node on the store's newest revision without ever putting a store call on a notification's
 * thread: one daemon thread asks the store for its revision every refresh interval, and at once when the
 * store pushes a change; only a newer revision is loaded. A store outage is logged when it starts and
 * when it ends, never per check.
 */
final class StoreFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");

    private final ConfigurationInForce inForce;
    private final GuardedStore store;
    private final Duration interval;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean pushQueued = new AtomicBoolean();
    private volatile Optional<ConfigStore.Subscription> subscription = Optional.empty();
    /** Set when subscribing failed (the store was down at start); retried after the next good check. */
    private volatile boolean subscribeFailed;
    private volatile boolean closed;

    /** Set by the follower thread only. */
    private @Nullable Instant downSince;
    /** The store revision last reported as older than the one in force; -1 when none. */
    private long reportedBehind = -1;

    StoreFollower(ConfigurationInForce inForce, GuardedStore store, Duration interval) {
        this.inForce = inForce;
        this.store = store;
        this.interval = interval;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "email-config-store-follower");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        subscribe();
        long ms = interval.toMillis();
        thread.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
    }

    private synchronized void subscribe() {
        if (closed) {
            return;
        }
        try {
            subscription = store.subscribe(this::pushed);
            subscribeFailed = false;
        } catch (RuntimeException e) {
            if (!subscribeFailed) {
                LOG.warn("Could not subscribe to changes of the configuration store ({}); polling every {} ms and "
                        + "trying again when the store answers", e.getMessage(), interval.toMillis());
            }
            subscribeFailed = true;
        }
    }

    /**
     * Called on the store's thread: never blocks, coalesces a burst of pushes into one check. A push of the
     * revision in force is checked too: after a restore, another configuration may carry the same number.
     */
    private void pushed(long revision) {
        if (revision != 0 && pushQueued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    pushQueued.set(false);
                    check(true);
                });
            } catch (RejectedExecutionException closed) {
                pushQueued.set(false);
            }
        }
    }

    /**
     * Every this many checks whose revision number matches the one in force, the configuration itself is loaded
     * and compared: a store restored to the revision before the one in force and saved again at once holds
     * another configuration under the same number (a store that pushes says so at once).
     */
    static final int COMPARE_EVERY = 12;

    /** Checks since the configuration itself was last compared; set by the follower thread only. */
    private int quietChecks;

    private void check() {
        check(false);
    }

    private void check(boolean compare) {
        try {
            long stored = store.currentRevision();
            if (compare || stored != inForce.revisionInForce() || ++quietChecks >= COMPARE_EVERY) {
                quietChecks = 0;
                // Forward as a rule; back only when the store itself went back (see ConfigurationInForce.follow).
                inForce.followStore();
            }
            long revisionInForce = inForce.revisionInForce();
            if (stored >= revisionInForce) {
                // The store holds the configuration in force again: a later emptying is news again.
                reportedBehind = -1;
            } else if (stored != reportedBehind) {
                // The store holds nothing at all: a recreated table or a store pointed elsewhere. Emptiness is not
                // followed (notifications would stop); a save puts the new line in force everywhere.
                reportedBehind = stored;
                LOG.warn("The email configuration store holds no configuration, though revision {} is in force on "
                        + "this node: the store was emptied, recreated or points elsewhere. This node keeps revision "
                        + "{} until a configuration is saved; that save is then in force on every node.", revisionInForce,
                        revisionInForce);
            }
            if (subscribeFailed) {
                subscribe();
            }
            if (downSince != null) {
                LOG.info("The email configuration store can be read again after {} s; following revision {}",
                        Duration.between(downSince, Instant.now()).toSeconds(), inForce.revisionInForce());
                downSince = null;
            }
        } catch (RuntimeException e) {
            if (downSince == null) {
                downSince = Instant.now();
                LOG.warn("The email configuration store cannot be read ({}); notifications keep using revision {} "
                        + "until it can", e.getMessage(), inForce.revisionInForce());
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        subscription.ifPresent(s -> {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing the store subscription failed", e);
            }
        });
        thread.shutdownNow();
    }
}
