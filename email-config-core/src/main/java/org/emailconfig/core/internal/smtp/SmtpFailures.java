package org.emailconfig.core.internal.smtp;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailConnectException;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.Encryption;
import org.emailconfig.api.LocalizedText;
import org.emailconfig.api.Reason;
import org.emailconfig.api.SmtpServer;
import org.emailconfig.core.internal.text.CoreTexts;
import org.jspecify.annotations.Nullable;

/**
 * Turns Angus Mail's exceptions into a {@link Reason} with a hint that names the likely mistake,
 * for example "port 465 expects SSL/TLS, not STARTTLS". Server replies are kept, with any secret of
 * the connection masked out.
 */
final class SmtpFailures {

    private SmtpFailures() {
    }

    /**
     * The recipients a partly sent message was refused for permanently (5xx), each as "address: reply";
     * the ones refused for now (4xx) are not listed: they go in another transaction.
     */
    static List<String> permanentRefusals(MessagingException e, List<String> secrets) {
        List<String> refused = new ArrayList<>();
        for (Exception t = e.getNextException(); t != null;
             t = t instanceof MessagingException m ? m.getNextException() : null) {
            if (t instanceof SMTPAddressFailedException a && a.getReturnCode() >= 500) {
                refused.add(a.getAddress() + ": " + SecretMasking.redactText(replyOf(a), secrets));
            }
        }
        return refused;
    }

    /** Whether the connection is unusable afterwards, so the engine should reopen it. */
    static boolean connectionLost(Exception e) {
        // A dropped connection, a timeout (the dialogue is out of step), or 421 "closing" / -1 "[EOF]".
        if (e instanceof SMTPSendFailedException s && (s.getReturnCode() == 421 || s.getReturnCode() == -1)) {
            return true;
        }
        if (e instanceof SendFailedException) {
            // Refused addresses: the connection is still fine, unless the server hung up on them.
            return String.valueOf(e.getMessage()).contains("[EOF]");
        }
        return dropped(e) || find(e, SocketTimeoutException.class) != null;
    }

    /**
     * Classifies a failure of an SMTP dialogue on a transport, which knows the step it was in, the last
     * reply, and whether the end of the message already went out.
     */
    static DeliveryFailedException classify(Exception e, SmtpServer server, List<String> secrets,
                                            TrackingSmtpTransport transport) {
        String ehlo = transport.ehloRefusal();
        if (ehlo != null && transport.step() != DeliveryStep.MAIL && transport.step() != DeliveryStep.RCPT
                && transport.step() != DeliveryStep.DATA) {
            // What follows a refused EHLO (no STARTTLS, no AUTH after the HELO fallback) is its consequence.
            return ehloRefused(e, server, secrets, ehlo);
        }
        String closing = transport.closingReply();
        if (closing != null && dropped(e) && !transport.endOfDataSent()) {
            return built(e, server, secrets, fromReply(closing, transport.step(), secrets));
        }
        return classify(e, server, secrets, transport.step(), transport.getLastServerResponse(),
                transport.endOfDataSent());
    }

    /**
     * A refused EHLO: a 4xx is temporary, a 5xx permanent, and the server's words are kept. Angus answers it
     * with HELO, which shows no extensions, so without this the failure would read "no STARTTLS" or "no
     * authentication offered".
     */
    static DeliveryFailedException ehloRefused(Exception e, SmtpServer server, List<String> secrets, String reply) {
        return built(e, server, secrets, fromReply(reply, DeliveryStep.EHLO, secrets));
    }

    private static Classified fromReply(String reply, @Nullable DeliveryStep step, List<String> secrets) {
        String words = SecretMasking.redactText(reply.strip(), secrets);
        Classified c = byCode(codeOf(words), words, step);
        c.reply = words;
        return c;
    }

    static DeliveryFailedException classify(Exception e, SmtpServer server, List<String> secrets,
                                            @Nullable DeliveryStep step, @Nullable String lastReply) {
        return classify(e, server, secrets, step, lastReply, false);
    }

    /**
     * Classifies a failure of the SMTP dialogue.
     *
     * @param e         what Angus threw
     * @param server    where it was talking to
     * @param secrets   masked out of every text
     * @param step      the step the dialogue was in, or null when unknown
     * @param lastReply the server's last reply line, for failures Angus words without it (a refused
     *                  greeting, a refused STARTTLS), or null
     * @param afterEndOfData whether the terminating dot went out: a timeout or a dropped connection after it
     *                  may follow a message the server accepted, so it must not be sent again
     */
    static DeliveryFailedException classify(Exception e, SmtpServer server, List<String> secrets,
                                            @Nullable DeliveryStep step, @Nullable String lastReply,
                                            boolean afterEndOfData) {
        String text = SecretMasking.redactText(String.valueOf(e.getMessage()).strip(), secrets);
        Classified c;
        if (e instanceof MailConnectException) {
            c = find(e, UnknownHostException.class) != null
                    ? new Classified(Reason.UNKNOWN_HOST, DeliveryStep.RESOLVE, false)
                    : find(e, SocketTimeoutException.class) != null || find(e, NoRouteToHostException.class) != null
                    ? new Classified(Reason.CONNECTION_TIMEOUT, DeliveryStep.CONNECT, true)
                    : find(e, ConnectException.class) != null
                    ? new Classified(Reason.CONNECTION_REFUSED, DeliveryStep.CONNECT, true)
                    : new Classified(Reason.SERVER_ERROR, DeliveryStep.CONNECT, true);
        } else if (text.contains("STARTTLS is required but host does not support STARTTLS")) {
            c = new Classified(Reason.STARTTLS_UNAVAILABLE, DeliveryStep.STARTTLS, false);
            if (server.port() == 465) {
                c.hint = CoreTexts.text("hint.port465.starttls");
            }
        } else if (find(e, SSLException.class) != null && find(e, SocketTimeoutException.class) == null) {
            c = new Classified(SmtpHints.tlsReason(e), DeliveryStep.TLS, false);
            c.hint = SmtpHints.tlsHint(e, server, c.reason);
        } else if ((find(e, SocketTimeoutException.class) != null || dropped(e)) && afterEndOfData) {
            c = new Classified(dropped(e) ? Reason.CONNECTION_LOST : Reason.READ_TIMEOUT, step, false);
            c.hint = CoreTexts.text("hint.afterEndOfData");
            c.possiblyDelivered = true;
        } else if (find(e, SocketTimeoutException.class) != null && step == DeliveryStep.GREETING
                && server.port() == 465 && server.encryption() != Encryption.SSL_TLS) {
            // Port 465 speaks TLS from the first byte and waits for our handshake: a setting, not a slow server.
            c = new Classified(Reason.READ_TIMEOUT, step, false);
            c.hint = CoreTexts.text(server.encryption() == Encryption.NONE ? "hint.port465.none" : "hint.port465.starttls");
        } else if (find(e, SocketTimeoutException.class) != null) {
            c = new Classified(Reason.READ_TIMEOUT, step, true);
            c.hint = SmtpHints.timeoutHint(server, step);
        } else if (dropped(e)) {
            c = new Classified(Reason.CONNECTION_LOST, step, true);
            if (step == DeliveryStep.DATA) {
                c.hint = CoreTexts.text("hint.lostInData");
            }
        } else {
            c = byReply(e, text, step, lastReply == null ? null : SecretMasking.redactText(lastReply.strip(), secrets), secrets);
        }
        return built(e, server, secrets, c);
    }

    private static DeliveryFailedException built(Exception e, SmtpServer server, List<String> secrets, Classified c) {
        String where = server.host() + ":" + server.port() + " (" + server.encryption() + ")";
        DeliveryStep at = c.step;
        String message = "Sending through " + where + " failed" + (at == null ? "" : " at " + at) + ": "
                + SmtpHints.describe(c.reason) + (c.reply != null ? " Server replied: " + c.reply : cause(e, secrets))
                + (c.refused.isEmpty() ? "" : " Refused: " + String.join("; ", c.refused));
        return DeliveryFailedException.builder(c.reason, message).hint(c.hint).serverReply(c.reply)
                .cause(SecretMasking.withoutSecrets(e, secrets))
                .step(at).temporary(c.temporary).refusedRecipients(c.refused).possiblyDelivered(c.possiblyDelivered).build();
    }

    /** What a classification found; the hint and reply are filled in where there is one. */
    private static final class Classified {
        final Reason reason;
        final @Nullable DeliveryStep step;
        final boolean temporary;
        @Nullable LocalizedText hint;
        @Nullable String reply;
        List<String> refused = List.of();
        boolean possiblyDelivered;

        Classified(Reason reason, @Nullable DeliveryStep step, boolean temporary) {
            this.reason = reason;
            this.step = step;
            this.temporary = temporary;
        }
    }

    /** The connection is gone: "not connected", end of stream ("[EOF]"), a reset or broken pipe. */
    private static boolean dropped(Exception e) {
        return e instanceof IllegalStateException || String.valueOf(e.getMessage()).contains("[EOF]")
                || find(e, SocketException.class) != null || find(e, EOFException.class) != null;
    }

    private static final Pattern CODE = Pattern.compile("^(\\d{3})[ -]");
    /** Relay refusals as Postfix, Exim, Sendmail and Exchange word them; not "User unknown in relay recipient table". */
    private static final Pattern RELAY_DENIED = Pattern.compile(
            "relay access denied|relaying denied|unable to relay|relay not permitted|relaying not allowed"
                    + "|not permitted to relay|we do not relay|relay(ing)? (is )?prohibited");
    private static final Pattern ENHANCED = Pattern.compile("\\b([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");

    /** Failures that come with a server reply: classified by code, enhanced status code and words, then step. */
    private static Classified byReply(Exception e, String text, @Nullable DeliveryStep step, @Nullable String lastReply,
                                      List<String> secrets) {
        int code;
        String reply;
        List<String> refused = new ArrayList<>();
        DeliveryStep at = step;
        SMTPSenderFailedException sender = find(e, SMTPSenderFailedException.class);
        SMTPAddressFailedException address = find(e, SMTPAddressFailedException.class);
        if (e instanceof AuthenticationFailedException) {
            at = DeliveryStep.AUTH;
            if (text.contains("No authentication mechanisms supported")) {
                Classified c = new Classified(Reason.AUTH_MECHANISM_UNSUPPORTED, at, false);
                c.reply = text;
                return c;
            }
            reply = text;
            code = codeOf(text);
        } else if (sender != null) {
            at = DeliveryStep.MAIL;
            reply = SecretMasking.redactText(replyOf(sender), secrets);
            code = sender.getReturnCode();
        } else if (address != null) {
            at = DeliveryStep.RCPT;
            reply = SecretMasking.redactText(replyOf(address), secrets);
            code = address.getReturnCode();
            for (Throwable t = e; t != null; t = t instanceof MessagingException m ? m.getNextException() : null) {
                if (t instanceof SMTPAddressFailedException a) {
                    refused.add(a.getAddress() + ": " + SecretMasking.redactText(replyOf(a), secrets));
                }
            }
        } else if (e instanceof SMTPSendFailedException s) {
            reply = SecretMasking.redactText(replyOf(s), secrets);
            code = s.getReturnCode();
            String command = String.valueOf(s.getCommand()).toUpperCase(Locale.ROOT);
            at = command.startsWith("MAIL") ? DeliveryStep.MAIL : command.startsWith("RCPT") ? DeliveryStep.RCPT
                    : command.equals(".") || command.startsWith("DATA") ? DeliveryStep.DATA : step;
        } else if (codeOf(text) > 0) {
            reply = text;
            code = codeOf(text);
        } else if (lastReply != null && codeOf(lastReply) >= 400) {
            // Angus words a refused greeting or STARTTLS without the reply; the transport kept it.
            reply = lastReply;
            code = codeOf(lastReply);
        } else {
            Classified c = new Classified(Reason.SERVER_ERROR, at, false);
            return c;
        }
        Classified c = byCode(code, reply == null ? "" : reply, at);
        c.reply = reply;
        c.refused = List.copyOf(refused);
        return c;
    }

    private static Classified byCode(int code, String reply, @Nullable DeliveryStep step) {
        String lower = reply.toLowerCase(Locale.ROOT);
        Matcher m = ENHANCED.matcher(reply);
        String enhanced = m.find() ? m.group() : "";
        boolean temporary = code >= 400 && code < 500;
        if (code == 421) {
            Classified c = new Classified(Reason.SERVER_TEMPORARY_FAILURE, step, true);
            c.hint = CoreTexts.text("hint.closing421");
            return c;
        }
        if (step == DeliveryStep.GREETING) {
            return new Classified(temporary ? Reason.SERVER_TEMPORARY_FAILURE : Reason.CLIENT_REJECTED, step, temporary);
        }
        if (code == 530 && lower.contains("starttls")) {
            return new Classified(Reason.ENCRYPTION_REQUIRED, step, false);
        }
        if (enhanced.equals("5.7.139")) {
            return new Classified(Reason.SMTP_AUTH_DISABLED, step, false);
        }
        if (step == DeliveryStep.STARTTLS) {
            Classified c = new Classified(temporary ? Reason.SERVER_TEMPORARY_FAILURE : Reason.STARTTLS_UNAVAILABLE,
                    step, temporary);
            c.hint = temporary ? CoreTexts.text("hint.starttlsTemporary") : null;
            return c;
        }
        if (code == 530) {
            return new Classified(Reason.AUTH_REQUIRED, step, false);
        }
        if (step == DeliveryStep.AUTH && (enhanced.equals("5.7.9") || code == 534)) {
            // Google and Microsoft accounts with two-step sign-in: the account password is right, and not enough.
            Classified c = new Classified(Reason.AUTH_REJECTED, step, false);
            c.hint = CoreTexts.text("hint.appPassword");
            return c;
        }
        if (step == DeliveryStep.AUTH) {
            return temporary ? new Classified(Reason.AUTH_TEMPORARY_FAILURE, step, true)
                    : code == 504 || enhanced.equals("5.5.4") ? new Classified(Reason.AUTH_MECHANISM_UNSUPPORTED, step, false)
                    : new Classified(Reason.AUTH_REJECTED, step, false);
        }
        if (enhanced.equals("5.2.252") || lower.contains("sendasdenied")) {
            Classified c = new Classified(Reason.SENDER_NOT_ALLOWED, step, false);
            c.hint = CoreTexts.text("hint.sendAs.microsoft");
            return c;
        }
        if (code == 432 && enhanced.equals("4.3.2")) {
            // Exchange Online: a mailbox takes 3 SMTP connections at once ("sender thread limit exceeded").
            Classified c = new Classified(Reason.SERVER_TEMPORARY_FAILURE, step, true);
            c.hint = CoreTexts.text("hint.exchangeThreadLimit");
            return c;
        }
        if (code == 452 && enhanced.equals("4.5.3")) {
            Classified c = new Classified(Reason.SERVER_TEMPORARY_FAILURE, step, true);
            c.hint = CoreTexts.text("hint.recipientLimit");
            return c;
        }
        if (code >= 500 && RELAY_DENIED.matcher(lower).find()) {
            return new Classified(Reason.RELAY_DENIED, step, false);
        }
        if (lower.contains("client host rejected")) {
            return new Classified(Reason.CLIENT_REJECTED, step, false);
        }
        if (lower.contains("sender address rejected") && (lower.contains("not owned") || enhanced.equals("5.7.1"))) {
            return new Classified(Reason.SENDER_NOT_ALLOWED, step, false);
        }
        if (enhanced.equals("5.3.4") || enhanced.equals("5.2.3") || (code == 552 && step == DeliveryStep.DATA)) {
            return new Classified(Reason.MESSAGE_TOO_BIG, step, false);
        }
        if (temporary) {
            return new Classified(Reason.SERVER_TEMPORARY_FAILURE, step, true);
        }
        Reason r = step == DeliveryStep.MAIL ? Reason.SENDER_REJECTED
                : step == DeliveryStep.RCPT ? Reason.RECIPIENT_REJECTED
                : step == DeliveryStep.DATA ? Reason.MESSAGE_REJECTED : Reason.SERVER_ERROR;
        return new Classified(r, step, false);
    }

    private static int codeOf(String reply) {
        Matcher m = CODE.matcher(reply == null ? "" : reply);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static String replyOf(MessagingException e) {
        return String.valueOf(e.getMessage()).trim();
    }

    private static String cause(Exception e, List<String> secrets) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return " (" + root.getClass().getSimpleName() + ": " + SecretMasking.redactText(String.valueOf(root.getMessage()), secrets) + ")";
    }

    /**
     * The first failure of a type in the chain. Jakarta Mail's {@code MessagingException.getCause()} returns its
     * next exception, so walking causes walks Angus's next-exception chain too.
     */
    static <T extends Throwable> @Nullable T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
