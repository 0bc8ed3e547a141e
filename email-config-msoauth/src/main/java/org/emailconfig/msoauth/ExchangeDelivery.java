package org.emailconfig.msoauth;

import java.time.Instant;
import java.util.Optional;

import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.spi.MailDelivery;

/**
 * An SMTP XOAUTH2 session with Exchange Online whose refusals during a send (530 5.7.57 at MAIL FROM, SendAsDenied
 * after the message) carry the fix for this application and mailbox, as a refused login does.
 */
final class ExchangeDelivery implements MailDelivery {

    private final MailDelivery smtp;
    private final MicrosoftOAuthConfiguration config;

    ExchangeDelivery(MailDelivery smtp, MicrosoftOAuthConfiguration config) {
        this.smtp = smtp;
        this.config = config;
    }

    @Override
    public void send(MimeMessage message) {
        try {
            smtp.send(message);
        } catch (DeliveryFailedException e) {
            throw MicrosoftOAuthProvider.xoauth2Refusal(config, e);
        }
    }

    @Override
    public boolean isOpen() {
        return smtp.isOpen();
    }

    @Override
    public Destination destination() {
        return smtp.destination();
    }

    @Override
    public Optional<String> lastReply() {
        return smtp.lastReply();
    }

    @Override
    public Optional<Instant> serverCertificateExpiry() {
        return smtp.serverCertificateExpiry();
    }

    @Override
    public void close() {
        smtp.close();
    }
}
