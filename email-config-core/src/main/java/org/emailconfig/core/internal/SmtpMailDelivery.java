package org.emailconfig.core.internal;

import java.util.List;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.SmtpServer;
import org.emailconfig.api.spi.MailDelivery;

/** An open, authenticated SMTP connection. */
final class SmtpMailDelivery implements MailDelivery {

    private final TrackingSmtpTransport transport;
    private final SmtpServer server;
    private final List<String> secrets;
    private volatile boolean open = true;

    SmtpMailDelivery(TrackingSmtpTransport transport, SmtpServer server, List<String> secrets) {
        this.transport = transport;
        this.server = server;
        this.secrets = secrets;
    }

    @Override
    public void send(MimeMessage message) {
        try {
            Address[] recipients = message.getAllRecipients();
            if (recipients == null || recipients.length == 0) {
                throw new IllegalArgumentException("the message has no recipients");
            }
            transport.sendMessage(message, recipients);
        } catch (MessagingException | IllegalStateException e) {
            DeliveryFailedException failure = SmtpFailures.classify(e, server, secrets, transport);
            if (SmtpFailures.connectionLost(e)) {
                close();
            }
            throw failure;
        }
    }

    @Override
    public boolean isOpen() {
        // No NOOP round trip per message: a connection the server dropped fails the next send, and the
        // engine then reopens and retries once.
        return open;
    }

    @Override
    public void close() {
        open = false;
        AngusSmtpConnector.closeQuietly(transport);
    }
}
