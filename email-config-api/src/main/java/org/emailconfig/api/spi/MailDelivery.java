package org.emailconfig.api.spi;

import java.util.Objects;
import java.util.Optional;

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

    /**
     * Where this delivery sends, for the evidence of every attempt ({@link org.emailconfig.api.DeliveryEvent}) and
     * the metrics' tags. The engine's SMTP deliveries and the Microsoft type's Graph delivery say; the default says
     * nothing.
     *
     * @return the transport and server; {@link Destination#UNKNOWN} by default
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.4")
    default Destination destination() {
        return Destination.UNKNOWN;
    }

    /**
     * The server's reply to the last message that {@link #send} delivered: its acceptance, such as
     * {@code 250 2.0.0 Ok: queued as 4BxY}, with secrets masked. Read by the engine on the sending thread right after
     * {@code send} returned; it goes into the evidence an administrator or operator reads to find the message.
     *
     * @return the reply; empty by default, or when the server gave none worth keeping
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.4")
    default Optional<String> lastReply() {
        return Optional.empty();
    }

    /**
     * When the certificate the server presented on this connection expires, as the TLS handshake of a real send
     * showed it: health and the expiry warnings read it, so nobody has to probe the server for it.
     *
     * @return the leaf certificate's end of validity; empty by default, and for connections without TLS
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.4")
    default Optional<java.time.Instant> serverCertificateExpiry() {
        return Optional.empty();
    }

    /**
     * How and where a delivery sends.
     *
     * @param transport {@code smtp}, {@code graph}, or a third-party delivery's own lower-case word
     * @param address   the server's host name; empty when unknown
     * @param port      the server's port; 0 when unknown
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.4")
    record Destination(String transport, String address, int port) {
        /** Nothing known. */
        public static final Destination UNKNOWN = new Destination("other", "", 0);

        /**
         * Checks the parts.
         *
         * @param transport the transport
         * @param address   the host
         * @param port      the port
         */
        public Destination {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(address, "address");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
    }

    /** Releases the connection. Idempotent; never throws. */
    @Override
    void close();
}
