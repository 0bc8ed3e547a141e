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

/**
 * Keeps a node on the store's newest revision without ever putting a store call on a notification's
 * thread: one daemon thread asks the store for its revision every refresh interval, and at once when the
 * store pushes a change; only a newer revision is loaded. A store outage is logged when it starts and
 * when it ends, never per check.
 */
final class StoreFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");

    private final ConfigurationService service;
    private final GuardedStore store;
    private final Duration interval;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean pushQueued = new AtomicBoolean();
    private volatile Optional<ConfigStore.Subscription> subscription = Optional.empty();
    /** Set when subscribing failed (the store was down at start); retried after the next good check. */
    private volatile boolean subscribeFailed;
    private volatile boolean closed;

    /** Set by the follower thread only. */
    private Instant downSince;
    /** The store revision last reported as older than the one in force; 0 when none. */
    private long reportedBehind;

    StoreFollower(ConfigurationService service, GuardedStore store, Duration interval) {
        this.service = service;
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

    /** Called on the store's thread: never blocks, coalesces a burst of pushes into one check. */
    private void pushed(long revision) {
        if (revision > service.revisionInForce() && pushQueued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    pushQueued.set(false);
                    check();
                });
            } catch (RejectedExecutionException closed) {
                pushQueued.set(false);
            }
        }
    }

    private void check() {
        try {
            long stored = store.currentRevision();
            long inForce = service.revisionInForce();
            if (stored > inForce) {
                service.followStore();
            } else if (stored < inForce && stored != reportedBehind) {
                // Never go back (a save's acknowledgement may simply be late), but say so once: a store that
                // stays behind was probably restored from a backup or replaced.
                reportedBehind = stored;
                LOG.warn("The email configuration store holds revision {}, older than revision {} in force on this "
                        + "node; this node keeps revision {} until the store holds a newer one. If the store was "
                        + "restored from a backup, restart the application's nodes: a running node never goes back to "
                        + "an older revision on its own.", stored, inForce, inForce);
            }
            if (subscribeFailed) {
                subscribe();
            }
            if (downSince != null) {
                LOG.info("The email configuration store can be read again after {} s; following revision {}",
                        Duration.between(downSince, Instant.now()).toSeconds(), service.revisionInForce());
                downSince = null;
            }
        } catch (RuntimeException e) {
            if (downSince == null) {
                downSince = Instant.now();
                LOG.warn("The email configuration store cannot be read ({}); notifications keep using revision {} "
                        + "until it can", e.getMessage(), service.revisionInForce());
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
