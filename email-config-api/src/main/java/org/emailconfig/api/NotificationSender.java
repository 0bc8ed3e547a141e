package org.emailconfig.api;

import java.util.concurrent.CompletableFuture;

import org.apiguardian.api.API;

/**
 * Sends the host's notifications with the configuration currently in force: a configuration saved a
 * moment ago is used by the next send, without a restart. Connections are reused between sends.
 * Safe to use from many threads.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface NotificationSender {

    /**
     * Sends one message from the configured sender. Blocks until the server accepted it or failed.
     * Temporary failures (a 4xx reply, a busy or throttling service, a connection lost before the end of
     * the message) are tried again with backoff, honouring Retry-After, within the host's retry deadline
     * (default 30 seconds); permanent failures are not, and a message the server may already have
     * accepted is never sent twice.
     *
     * @param notification never null
     * @throws DeliveryFailedException when the server refused it or could not be reached;
     *                                 {@link DeliveryFailedException#attempts()} says how often it was tried
     * @throws EmailConfigException    with {@link Reason#NOT_CONFIGURED} before the first save
     * @throws IllegalStateException   after the service was closed
     */
    void send(Notification notification);

    /**
     * Sends one message in the background, on a bounded executor (the engine's own, or the host's), with
     * the same retries as {@link #send}. Returns at once.
     *
     * @param notification never null
     * @return completes when the server accepted the message, or exceptionally with the
     *         {@link DeliveryFailedException} or {@link EmailConfigException} that {@link #send} would throw
     * @throws java.util.concurrent.RejectedExecutionException when the queue of waiting notifications is
     *         full, or the service is closed; nothing was queued
     */
    CompletableFuture<Void> sendAsync(Notification notification);
}
