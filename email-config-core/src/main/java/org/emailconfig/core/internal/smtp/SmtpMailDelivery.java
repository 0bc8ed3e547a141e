package org.emailconfig.core.internal.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.Reason;
import org.emailconfig.api.SmtpServer;
import org.emailconfig.api.spi.MailDelivery;
import org.emailconfig.core.internal.text.CoreTexts;

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

    /**
     * Sends to every recipient exactly once. A server may take only so many recipients per transaction (RFC
     * 5321 section 4.5.3.1.10: {@code 452 4.5.3} beyond the limit): the message goes to the accepted ones, and
     * the rest get it in further transactions on the same connection while each makes progress. Recipients
     * refused permanently are reported after the others have the message.
     */
    @Override
    public void send(MimeMessage message) {
        List<Address> remaining;
        try {
            Address[] recipients = message.getAllRecipients();
            if (recipients == null || recipients.length == 0) {
                throw new IllegalArgumentException("the message has no recipients");
            }
            remaining = List.of(recipients);
        } catch (MessagingException e) {
            throw SmtpFailures.classify(e, server, secrets, transport);
        }
        List<String> delivered = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        while (!remaining.isEmpty()) {
            try {
                transport.sendMessage(message, remaining.toArray(new Address[0]));
                remaining.forEach(a -> delivered.add(address(a)));
                remaining = List.of();
            } catch (MessagingException | IllegalStateException e) {
                if (e instanceof SMTPSendFailedException partly && isPartial(partly)) {
                    // The message went to the accepted recipients (at least one, so every round makes progress);
                    // the refused ones are reported, the ones the server could not take now go in another one.
                    for (Address a : partly.getValidSentAddresses()) {
                        delivered.add(address(a));
                    }
                    refused.addAll(SmtpFailures.permanentRefusals(partly, secrets));
                    remaining = left(partly);
                    continue;
                }
                DeliveryFailedException failure = SmtpFailures.classify(e, server, secrets, transport);
                if (SmtpFailures.connectionLost(e)) {
                    close();
                }
                if (!delivered.isEmpty()) {
                    // Some recipients have it: a retry must go to the rest only, never to them again.
                    List<String> allRefused = new ArrayList<>(refused);
                    allRefused.addAll(failure.refusedRecipients());
                    failure = failure.toBuilder().deliveredRecipients(delivered).refusedRecipients(allRefused).build();
                }
                throw failure;
            }
        }
        if (!refused.isEmpty()) {
            throw DeliveryFailedException.builder(Reason.RECIPIENT_REJECTED, "Sending through " + server.host() + ":"
                            + server.port() + " (" + server.encryption() + "): the server refused " + refused.size()
                            + " recipient(s); the message went to the other " + delivered.size() + ". Refused: "
                            + String.join("; ", refused))
                    .hint(CoreTexts.text("hint.recipientsRefused")).step(DeliveryStep.RCPT).temporary(false)
                    .refusedRecipients(refused).deliveredRecipients(delivered).build();
        }
    }

    /** Angus reports a message that went to some recipients as a failure whose final reply is a success. */
    private static boolean isPartial(SMTPSendFailedException e) {
        Address[] sent = e.getValidSentAddresses();
        return sent != null && sent.length > 0 && e.getReturnCode() >= 200 && e.getReturnCode() < 300;
    }

    /** With sendpartial on, Angus lists recipients refused for now (4xx) as "valid unsent": they go again. */
    private static List<Address> left(SMTPSendFailedException e) {
        Address[] unsent = e.getValidUnsentAddresses();
        return unsent == null ? List.of() : List.of(unsent);
    }

    private static String address(Address a) {
        return a instanceof InternetAddress ia ? ia.getAddress() : a.toString();
    }

    @Override
    public Optional<java.time.Instant> serverCertificateExpiry() {
        return Optional.ofNullable(transport.certificateExpiry());
    }

    @Override
    public Destination destination() {
        return new Destination("smtp", server.host(), server.port());
    }

    /** The reply to the end of the last message (Postfix: {@code 250 2.0.0 Ok: queued as 4BxY}), secrets masked. */
    @Override
    public Optional<String> lastReply() {
        String reply = transport.getLastServerResponse();
        return reply == null || reply.isBlank() ? Optional.empty()
                : Optional.of(SecretMasking.redactText(reply.strip(), secrets));
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
