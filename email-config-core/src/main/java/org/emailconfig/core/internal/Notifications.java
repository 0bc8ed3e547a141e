package org.emailconfig.core.internal;

import java.util.Objects;

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
 * dropped a kept-open connection, a new one is opened and the message retried once. Sends are serialised: one
 * connection, one message at a time.
 */
final class Notifications implements NotificationSender, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("org.emailconfig.core");

    private final ConfigurationService service;
    private MailDelivery delivery;
    private long deliveryRevision;

    Notifications(ConfigurationService service) {
        this.service = service;
    }

    @Override
    public synchronized void send(Notification notification) {
        Objects.requireNonNull(notification, "notification");
        ConfigurationService.Snapshot s = service.snapshot();
        MimeMessage message = service.composer().notification(s.configuration().sender(), notification);
        while (true) {
            boolean reused = ensureDelivery(s);
            MailDelivery d = delivery;
            try {
                d.send(message);
                return;
            } catch (DeliveryFailedException e) {
                // Only a kept-open connection that went stale earns a retry; a fresh one that fails
                // would fail again (and a timeout would double the caller's wait).
                if (reused && !d.isOpen()) {
                    LOG.debug("Kept-open connection lost ({}); reconnecting once", e.reason());
                    continue;
                }
                throw e;
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
