package org.emailconfig.core.internal;

import java.time.Duration;
import java.util.Objects;
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
    private MailDelivery delivery;
    private long deliveryRevision;

    Notifications(ConfigurationService service, Duration retryDeadline) {
        this.service = service;
        this.retryDeadline = retryDeadline;
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

    @Override
    public synchronized void close() {
        closeDelivery();
    }
}
