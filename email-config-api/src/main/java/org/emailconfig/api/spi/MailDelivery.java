package org.emailconfig.api.spi;

import jakarta.mail.internet.MimeMessage;

import org.apiguardian.api.API;
import org.emailconfig.api.DeliveryFailedException;

/**
 * An open channel that hands messages to a mail server or service. Used by one thread at a time; the
 * engine serialises calls.
 *
 * <pre>{@code
 * final class WebhookDelivery implements MailDelivery {
 *     public void send(MimeMessage message) {
 *         HttpResponse<String> r = post(message);
 *         if (r.statusCode() == 401) {
 *             throw DeliveryFailedException.builder(Reason.PROVIDER_FAILURE, "The webhook answered 401")
 *                     .providerCode("webhook.unauthorized").hint(LocalizedText.of(english, german)).build();
 *         }
 *     }
 *     public boolean isOpen() { return true; }   // stateless HTTP
 *     public void close() { }
 * }
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface MailDelivery extends AutoCloseable {

    /**
     * Sends a complete message to the recipients in its To, Cc and Bcc headers. May block, bounded by
     * the configured timeouts.
     *
     * @param message a complete message with From set to the configured sender and its headers final
     *                (the engine has called {@code saveChanges()}; a retry sends the same Message-ID)
     * @throws DeliveryFailedException classified; the delivery may still be usable if
     *                                 {@link #isOpen()} says so
     */
    void send(MimeMessage message);

    /**
     * Whether the channel is believed usable for another message. Must be cheap; it may be wrong
     * (a server may have dropped an idle connection), in which case the engine reopens and retries
     * once.
     *
     * @return false after {@link #close()} or a connection failure
     */
    boolean isOpen();

    /** Releases the connection. Idempotent; never throws. */
    @Override
    void close();
}
