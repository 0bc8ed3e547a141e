package org.emailconfig.api;

import org.apiguardian.api.API;

/**
 * Receives a {@link DeliveryEvent} for every attempt to deliver a notification or a test email: sent, retried,
 * failed, or "may have been delivered". Called synchronously on the sending thread right after the attempt ended,
 * so it should return quickly (hand the event to a queue for slow work); an exception thrown here is logged and
 * changes nothing about the delivery.
 */
@FunctionalInterface
@API(status = API.Status.EXPERIMENTAL, since = "0.4")
public interface DeliveryListener {

    /**
     * Receives one event.
     *
     * @param event never null
     */
    void onDelivery(DeliveryEvent event);
}
