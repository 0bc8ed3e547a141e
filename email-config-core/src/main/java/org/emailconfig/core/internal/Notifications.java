package org.emailconfig.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.Notification;
import org.emailconfig.api.NotificationSender;
import org.emailconfig.api.spi.MailDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notifications over one kept-open delivery of the configuration in force. When the revision in
 * force changes, the old delivery is closed and a new one opened on the next send; when the server has
 * dropped a kept-open connection, a new one is opened and the message tried again at once. Other temporary
 * failures (4xx, 421, 429/503 with Retry-After, a connection lost before the end of the message, a timeout)
 * are tried again with exponential backoff and jitter, honouring Retry-After, until the retry deadline;
 * permanent failures, and a message the server may already have accepted, are never tried again. Attempts
 * are serialised (one connection, one message at a time); the waits between them are not.
 */
final class Notifications implements NotificationSender, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");
    private static final long FIRST_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 8_000;

    private final ConfigurationService service;
    private final Duration retryDeadline;
    private final Executor executor;
    /** The engine's own executor, which {@link #close()} drains and stops; null when the host gave one. */
    private final ThreadPoolExecutor own;
    private final Duration drainTimeout;
    private MailDelivery delivery;
    private long deliveryRevision;

    Notifications(ConfigurationService service, NotificationSettings settings) {
        this.service = service;
        this.retryDeadline = settings.retryDeadline();
        this.drainTimeout = settings.drainTimeout();
        if (settings.executor() != null) {
            this.own = null;
            this.executor = settings.executor();
        } else {
            // One thread: attempts are serialised on the one connection anyway. A full queue rejects at once.
            AtomicInteger n = new AtomicInteger();
            this.own = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(settings.queueCapacity()), r -> {
                        Thread t = new Thread(r, "email-config-notify-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    }, (r, pool) -> {
                        throw new RejectedExecutionException(pool.isShutdown()
                                ? "The email configuration service is closed: the notification was not queued"
                                : "The queue of notifications waiting to be sent is full (" + settings.queueCapacity()
                                        + "): the notification was not queued. The mail server may be slow or down.");
                    });
            this.executor = own;
        }
    }

    @Override
    public CompletableFuture<Void> sendAsync(Notification notification) {
        Objects.requireNonNull(notification, "notification");
        Queued task = new Queued(notification, new CompletableFuture<>());
        executor.execute(task);
        return task.result;
    }

    /** A queued notification with its future, so one dropped at close can still be told so. */
    private final class Queued implements Runnable {
        final Notification notification;
        final CompletableFuture<Void> result;

        Queued(Notification notification, CompletableFuture<Void> result) {
            this.notification = notification;
            this.result = result;
        }

        @Override
        public void run() {
            try {
                send(notification);
                result.complete(null);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }

    @Override
    public void send(Notification notification) {
        Objects.requireNonNull(notification, "notification");
        long deadline = System.nanoTime() + retryDeadline.toNanos();
        int attempts = 0;
        while (true) {
            attempts++;
            DeliveryFailedException e = attempt(notification);
            if (e == null) {
                return;
            }
            if (!e.temporary()) {
                throw e.toBuilder().attempts(attempts).build();
            }
            long waitMs = backoff(attempts, e.retryAfter().orElse(Duration.ZERO));
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs) > deadline) {
                throw e.toBuilder().attempts(attempts).build();
            }
            LOG.info("Notification attempt {} failed temporarily ({}); trying again in {} ms", attempts, e.reason(),
                    waitMs);
            try {
                Thread.sleep(waitMs);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw e.toBuilder().attempts(attempts).build();
            }
        }
    }

    /** Exponential backoff with jitter (half to all of the step), never shorter than what the server asked. */
    private static long backoff(int attempts, Duration retryAfter) {
        long step = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(attempts - 1, 10));
        long jittered = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
        return Math.max(jittered, retryAfter.toMillis());
    }

    /**
     * One attempt with the configuration in force (a new revision between attempts is used), including the
     * immediate reconnect when a kept-open connection turned out to be stale.
     *
     * @return null when the server accepted the message, else the failure
     */
    private synchronized DeliveryFailedException attempt(Notification notification) {
        ConfigurationService.Snapshot s = service.snapshot();
        MimeMessage message = service.composer().notification(s.configuration().sender(), notification);
        while (true) {
            boolean reused = ensureDelivery(s);
            MailDelivery d = delivery;
            try {
                d.send(message);
                return null;
            } catch (DeliveryFailedException e) {
                // A kept-open connection that went stale is reopened at once; a fresh one that fails goes
                // through the backoff instead (a timeout must not double the caller's wait right away).
                if (reused && !d.isOpen() && e.temporary()) {
                    LOG.debug("Kept-open connection lost ({}); reconnecting", e.reason());
                    continue;
                }
                return e;
            } catch (RuntimeException e) {
                closeDelivery();
                throw Deliveries.unexpected(s.provider(), e);
            }
        }
    }

    /** Makes {@link #delivery} an open delivery of the revision in force; true if it was already open. */
    private boolean ensureDelivery(ConfigurationService.Snapshot s) {
        if (delivery != null && deliveryRevision == s.stored().revision() && delivery.isOpen()) {
            return true;
        }
        closeDelivery();
        try {
            delivery = s.provider().open(s.configuration(), service.deliveryContext());
        } catch (DeliveryFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw Deliveries.unexpected(s.provider(), e);
        }
        deliveryRevision = s.stored().revision();
        return false;
    }

    private void closeDelivery() {
        if (delivery != null) {
            delivery.close();
            delivery = null;
        }
    }

    /** Stops taking notifications, lets the queued ones go out within the drain timeout, then closes. */
    @Override
    public void close() {
        if (own != null) {
            own.shutdown();
            try {
                if (!own.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    List<Runnable> dropped = own.shutdownNow();
                    for (Runnable r : dropped) {
                        ((Queued) r).result.completeExceptionally(new RejectedExecutionException(
                                "not sent: the email configuration service was closed before its turn"));
                    }
                    LOG.warn("{} queued notification(s) were not sent within {} ms of closing", dropped.size(),
                            drainTimeout.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                own.shutdownNow();
            }
        }
        synchronized (this) {
            closeDelivery();
        }
    }
}
