package org.emailconfig.api;

/**
 * Sends the host's notifications with the configuration currently in force: a configuration saved a
 * moment ago is used by the next send, without a restart. Connections are reused between sends.
 * Safe to use from many threads.
 */
public interface NotificationSender {

    /**
     * Sends one message from the configured sender. Blocks until the server accepted it or failed,
     * bounded by the configured timeouts.
     *
     * @param notification never null
     * @throws DeliveryFailedException when the server refused it or could not be reached
     * @throws EmailConfigException    with {@link Reason#NOT_CONFIGURED} before the first save
     */
    void send(Notification notification);
}
