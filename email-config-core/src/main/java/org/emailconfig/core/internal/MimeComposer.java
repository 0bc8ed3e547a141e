package org.emailconfig.core.internal;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.apiguardian.api.API;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.emailconfig.api.Actor;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.Notification;
import org.emailconfig.api.Sender;
import org.jspecify.annotations.Nullable;
import org.emailconfig.core.internal.text.CoreTexts;

/** Builds the MIME messages the engine sends: the test email and the host's notifications. */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class MimeComposer {

    /** Marks test emails, so hosts and tests can recognise them. */
    public static final String TEST_HEADER = "X-Email-Config-Test";

    private static final String UTF8 = StandardCharsets.UTF_8.name();

    private final Session session = Session.getInstance(new Properties());
    private final Clock clock;
    private final String applicationName;

    /**
     * Creates a composer.
     *
     * @param clock           for the Date header
     * @param applicationName named in the test email
     */
    public MimeComposer(Clock clock, String applicationName) {
        this.clock = clock;
        this.applicationName = applicationName;
    }

    /**
     * The test email, in the actor's language (German or English), to the actor's own address.
     *
     * @param configuration the configuration under test
     * @param actor         recipient
     * @return the message
     */
    public MimeMessage testEmail(EmailConfiguration configuration, Actor actor) {
        String when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
                .format(clock.instant().atOffset(ZoneOffset.UTC));
        String subject = CoreTexts.text("mail.test.subject", applicationName).in(actor.locale());
        String text = CoreTexts.text("mail.test.body", applicationName, configuration.type(),
                configuration.sender().address(), actor.id(), when).in(actor.locale());
        MimeMessage m = compose(configuration.sender(), configuration.replyTo(), configuration.envelopeFrom(),
                actor.email(), subject, text, null);
        try {
            m.setHeader(TEST_HEADER, "true");
            m.setHeader("Auto-Submitted", "auto-generated");
            m.saveChanges();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    /**
     * A notification from the configured sender.
     *
     * @param sender       the configured sender
     * @param notification what to send
     * @return the message
     */
    public MimeMessage notification(Sender sender, Notification notification) {
        return notification(sender, Optional.empty(), Optional.empty(), notification);
    }

    /**
     * A notification with everything the configuration says about senders: From, Reply-To and the envelope
     * sender that receives bounces.
     *
     * @param configuration the configuration in force
     * @param notification  what to send
     * @return the message
     */
    public MimeMessage notification(EmailConfiguration configuration, Notification notification) {
        return notification(configuration.sender(), configuration.replyTo(), configuration.envelopeFrom(), notification);
    }

    private MimeMessage notification(Sender sender, Optional<Sender> replyTo, Optional<EmailAddress> envelopeFrom,
                                     Notification notification) {
        MimeMessage m = compose(sender, replyTo, envelopeFrom, null, notification.subject(), notification.text(),
                notification.html());
        try {
            for (EmailAddress to : notification.to()) {
                m.addRecipient(Message.RecipientType.TO, new InternetAddress(to.value(), true));
            }
            m.saveChanges();
        } catch (MessagingException e) {
            throw new IllegalArgumentException("invalid recipient", e);
        }
        return m;
    }

    private MimeMessage compose(Sender sender, Optional<Sender> replyTo, Optional<EmailAddress> envelopeFrom,
                                @Nullable EmailAddress to, String subject, String text, @Nullable String html) {
        try {
            MimeMessage m;
            if (envelopeFrom.isPresent()) {
                // Angus sends MAIL FROM from the message's envelope sender: bounces go there, not to the From.
                SMTPMessage smtp = new SMTPMessage(session);
                smtp.setEnvelopeFrom(envelopeFrom.get().value());
                m = smtp;
            } else {
                m = new MimeMessage(session);
            }
            m.setFrom(new InternetAddress(sender.address().value(), sender.displayName(), UTF8));
            if (replyTo.isPresent()) {
                m.setReplyTo(new Address[] {new InternetAddress(replyTo.get().address().value(),
                        replyTo.get().displayName(), UTF8)});
            }
            if (to != null) {
                m.setRecipient(Message.RecipientType.TO, new InternetAddress(to.value(), true));
            }
            m.setSubject(subject, UTF8);
            m.setSentDate(Date.from(clock.instant()));
            if (html == null) {
                m.setText(text, UTF8);
            } else {
                MimeMultipart alternative = new MimeMultipart("alternative");
                MimeBodyPart plain = new MimeBodyPart();
                plain.setText(text, UTF8);
                MimeBodyPart rich = new MimeBodyPart();
                rich.setText(html, UTF8, "html");
                alternative.addBodyPart(plain);
                alternative.addBodyPart(rich);
                m.setContent(alternative);
            }
            return m;
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new IllegalStateException("could not compose a message", e);
        }
    }
}
