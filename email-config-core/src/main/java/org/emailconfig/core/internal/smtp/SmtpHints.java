package org.emailconfig.core.internal.smtp;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.Encryption;
import org.emailconfig.api.LocalizedText;
import org.emailconfig.api.Reason;
import org.emailconfig.api.SmtpServer;
import org.emailconfig.core.internal.text.CoreTexts;
import org.jspecify.annotations.Nullable;

/**
 * The hints {@link SmtpFailures} gives where the failure alone does not say what to fix: a timeout at a step
 * that points at the port or encryption, a TLS failure read as certificate, host name or plain port, and the
 * few English words that open every failure's message.
 */
final class SmtpHints {

    private SmtpHints() {
    }

    /** What to check after a timeout at a step, where the step and the port say something; otherwise null. */
    static @Nullable LocalizedText timeoutHint(SmtpServer server, @Nullable DeliveryStep step) {
        if (step == DeliveryStep.GREETING && server.encryption() != Encryption.SSL_TLS) {
            return CoreTexts.text("hint.noGreeting");
        }
        if (step == DeliveryStep.AUTH) {
            return CoreTexts.text("hint.authTimeout");
        }
        if (server.port() == 465 && server.encryption() != Encryption.SSL_TLS) {
            return CoreTexts.text(server.encryption() == Encryption.NONE ? "hint.port465.none" : "hint.port465.starttls");
        }
        if (step == DeliveryStep.MAIL || step == DeliveryStep.RCPT || step == DeliveryStep.DATA) {
            // The encryption and the login worked: the port is right, the server is slow.
            return CoreTexts.text("hint.timeoutAfterLogin", step);
        }
        return null;
    }

    /** A TLS failure read as untrusted certificate, wrong host name, or a handshake that failed otherwise. */
    static Reason tlsReason(Exception e) {
        if (SmtpFailures.find(e, CertPathBuilderException.class) != null || SmtpFailures.find(e, CertPathValidatorException.class) != null) {
            return Reason.TLS_CERTIFICATE_UNTRUSTED;
        }
        CertificateException c = SmtpFailures.find(e, CertificateException.class);
        String m = c == null ? "" : String.valueOf(c.getMessage());
        if (m.contains("No subject alternative") || m.contains("No name matching") || m.contains("subject alternative")) {
            return Reason.TLS_HOSTNAME_MISMATCH;
        }
        if (m.contains("PKIX")) {
            return Reason.TLS_CERTIFICATE_UNTRUSTED;
        }
        return Reason.TLS_HANDSHAKE;
    }

    /** What to check after a TLS failure (an expired certificate, a plain port for SSL/TLS); otherwise null. */
    static @Nullable LocalizedText tlsHint(Exception e, SmtpServer server, Reason reason) {
        if (reason == Reason.TLS_CERTIFICATE_UNTRUSTED && expired(e)) {
            return CoreTexts.text("hint.certificateExpired");
        }
        if (reason != Reason.TLS_HANDSHAKE) {
            return null;
        }
        SSLException ssl = SmtpFailures.find(e, SSLException.class);
        boolean plainPeer = ssl != null && !(ssl instanceof SSLHandshakeException)
                && String.valueOf(ssl.getMessage()).toLowerCase(Locale.ROOT).contains("unrecognized ssl message");
        if (plainPeer && server.encryption() == Encryption.SSL_TLS) {
            return CoreTexts.text(server.port() == 587 ? "hint.plainPort.587" : "hint.plainPort", server.port());
        }
        return null;
    }

    private static boolean expired(Throwable e) {
        if (SmtpFailures.find(e, java.security.cert.CertificateExpiredException.class) != null
                || SmtpFailures.find(e, java.security.cert.CertificateNotYetValidException.class) != null) {
            return true;
        }
        CertPathValidatorException v = SmtpFailures.find(e, CertPathValidatorException.class);
        return v != null && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED;
    }

    /** The reason in a few English words, for the failure's message. */
    static String describe(Reason r) {
        return switch (r) {
            case AUTH_REJECTED -> "the server rejected the credentials.";
            case AUTH_MECHANISM_UNSUPPORTED -> "no common authentication mechanism.";
            case AUTH_REQUIRED -> "the server requires authentication.";
            case UNKNOWN_HOST -> "the host name does not resolve.";
            case CONNECTION_REFUSED -> "the connection was refused.";
            case CONNECTION_TIMEOUT -> "no connection within the connect timeout.";
            case READ_TIMEOUT -> "the server did not answer within the read timeout.";
            case STARTTLS_UNAVAILABLE -> "the server does not offer STARTTLS.";
            case TLS_CERTIFICATE_UNTRUSTED -> "the server's certificate is not trusted.";
            case TLS_HOSTNAME_MISMATCH -> "the server's certificate does not match the host name.";
            case TLS_HANDSHAKE -> "the TLS handshake failed.";
            case SENDER_REJECTED -> "the server refused the sender address.";
            case SENDER_NOT_ALLOWED -> "the account may not send as the sender address.";
            case SMTP_AUTH_DISABLED -> "SMTP AUTH is disabled for this tenant or mailbox.";
            case RECIPIENT_REJECTED -> "the server refused a recipient.";
            case MESSAGE_REJECTED -> "the server refused the message.";
            case AUTH_NOT_OFFERED -> "the server offers no authentication on this connection.";
            case AUTH_TEMPORARY_FAILURE -> "the server could not check the credentials right now.";
            case ENCRYPTION_REQUIRED -> "the server requires STARTTLS first.";
            case RELAY_DENIED -> "the server does not relay for this client.";
            case CLIENT_REJECTED -> "the server refuses this client.";
            case MESSAGE_TOO_BIG -> "the message is too big for the server.";
            case SERVER_TEMPORARY_FAILURE -> "the server refused for now (temporary).";
            case CONNECTION_LOST -> "the server closed the connection.";
            default -> "the server reported an error.";
        };
    }
}
