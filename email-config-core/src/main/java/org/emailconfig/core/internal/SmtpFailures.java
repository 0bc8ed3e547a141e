package org.emailconfig.core.internal;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailConnectException;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.Encryption;
import org.emailconfig.api.Reason;
import org.emailconfig.api.SmtpServer;
import org.emailconfig.api.spi.SmtpLogin;

/**
 * Turns Angus Mail's exceptions into a {@link Reason} with a hint that names the likely mistake,
 * for example "port 465 expects SSL/TLS, not STARTTLS". Server replies are kept, with any secret of
 * the connection masked out.
 */
final class SmtpFailures {

    private SmtpFailures() {
    }

    static List<String> secretsOf(SmtpLogin login) {
        List<String> secrets = new ArrayList<>();
        if (login instanceof SmtpLogin.Password p) {
            secrets.add(p.password().reveal());
        } else if (login instanceof SmtpLogin.XOAuth2 x) {
            secrets.add(x.accessToken().reveal());
        }
        return secrets;
    }

    /** Whether the connection is unusable afterwards, so the engine should reopen it. */
    static boolean connectionLost(Exception e) {
        // "Not connected", a closed stream (Angus reports it as reply code -1, "[EOF]"), or 421 "closing".
        if (e instanceof IllegalStateException || String.valueOf(e.getMessage()).contains("[EOF]")) {
            return true;
        }
        if (e instanceof SMTPSendFailedException s && (s.getReturnCode() == 421 || s.getReturnCode() == -1)) {
            return true;
        }
        if (e instanceof SendFailedException) {
            return false;
        }
        return find(e, SocketException.class) != null || find(e, EOFException.class) != null
                || find(e, SocketTimeoutException.class) != null;
    }

    static DeliveryFailedException classify(Exception e, SmtpServer server, List<String> secrets) {
        String where = server.host() + ":" + server.port() + " (" + server.encryption() + ")";
        String text = redact(String.valueOf(e.getMessage()).strip(), secrets);
        Reason reason;
        String hint = null;
        String reply = null;

        if (e instanceof AuthenticationFailedException) {
            reply = text;
            if (text.contains("No authentication mechanisms supported")) {
                reason = Reason.AUTH_MECHANISM_UNSUPPORTED;
            } else if (text.contains("5.7.139")) {
                // Microsoft 365: SMTP AUTH (basic or OAuth) switched off for the tenant or mailbox.
                reason = Reason.SMTP_AUTH_DISABLED;
            } else {
                reason = Reason.AUTH_REJECTED;
            }
        } else if (e instanceof MailConnectException) {
            if (find(e, UnknownHostException.class) != null) {
                reason = Reason.UNKNOWN_HOST;
            } else if (find(e, SocketTimeoutException.class) != null) {
                reason = Reason.CONNECTION_TIMEOUT;
            } else {
                reason = find(e, NoRouteToHostException.class) != null ? Reason.CONNECTION_TIMEOUT
                        : find(e, ConnectException.class) != null ? Reason.CONNECTION_REFUSED : Reason.SERVER_ERROR;
            }
        } else if (text.contains("STARTTLS is required but host does not support STARTTLS")) {
            reason = Reason.STARTTLS_UNAVAILABLE;
            if (server.port() == 465) {
                hint = "Port 465 expects SSL/TLS, not STARTTLS: choose SSL/TLS, or port 587 with STARTTLS.";
            }
        } else if (find(e, SSLException.class) != null) {
            reason = tlsReason(e);
            hint = tlsHint(e, server, reason);
        } else if (find(e, SocketTimeoutException.class) != null) {
            reason = Reason.READ_TIMEOUT;
            if (server.port() == 465 && server.encryption() != Encryption.SSL_TLS) {
                hint = "Port 465 expects SSL/TLS, not " + label(server.encryption())
                        + ": choose SSL/TLS, or port 587 with STARTTLS.";
            }
        } else if (e instanceof SMTPSenderFailedException || find(e, SMTPSenderFailedException.class) != null) {
            SMTPSenderFailedException s = find(e, SMTPSenderFailedException.class);
            reply = redact(replyOf(s), secrets);
            reason = s != null && s.getReturnCode() == 530 ? Reason.AUTH_REQUIRED : Reason.SENDER_REJECTED;
        } else if (find(e, SMTPAddressFailedException.class) != null) {
            SMTPAddressFailedException a = find(e, SMTPAddressFailedException.class);
            reply = redact(replyOf(a), secrets);
            reason = a.getReturnCode() == 530 ? Reason.AUTH_REQUIRED : Reason.RECIPIENT_REJECTED;
        } else if (e instanceof SMTPSendFailedException s) {
            reply = redact(replyOf(s), secrets);
            reason = s.getReturnCode() == 530 ? Reason.AUTH_REQUIRED
                    : reply.contains("5.2.252") || reply.contains("SendAsDenied") ? Reason.SENDER_NOT_ALLOWED
                    : ".".equals(s.getCommand()) ? Reason.MESSAGE_REJECTED : Reason.SERVER_ERROR;
        } else {
            reason = Reason.SERVER_ERROR;
        }
        String message = "Sending through " + where + " failed: " + describe(reason)
                + (reply != null ? " Server replied: " + reply : cause(e, secrets));
        return new DeliveryFailedException(reason, message, hint, reply, e);
    }

    private static Reason tlsReason(Exception e) {
        if (find(e, CertPathBuilderException.class) != null || find(e, CertPathValidatorException.class) != null) {
            return Reason.TLS_CERTIFICATE_UNTRUSTED;
        }
        CertificateException c = find(e, CertificateException.class);
        String m = c == null ? "" : String.valueOf(c.getMessage());
        if (m.contains("No subject alternative") || m.contains("No name matching") || m.contains("subject alternative")) {
            return Reason.TLS_HOSTNAME_MISMATCH;
        }
        if (m.contains("PKIX")) {
            return Reason.TLS_CERTIFICATE_UNTRUSTED;
        }
        return Reason.TLS_HANDSHAKE;
    }

    private static String tlsHint(Exception e, SmtpServer server, Reason reason) {
        if (reason != Reason.TLS_HANDSHAKE) {
            return null;
        }
        SSLException ssl = find(e, SSLException.class);
        boolean plainPeer = ssl != null && !(ssl instanceof SSLHandshakeException)
                && String.valueOf(ssl.getMessage()).toLowerCase(Locale.ROOT).contains("unrecognized ssl message");
        if (plainPeer && server.encryption() == Encryption.SSL_TLS) {
            return "Port " + server.port() + " does not speak SSL/TLS from the first byte: choose STARTTLS"
                    + (server.port() == 587 ? "" : " (usually port 587)") + ", or use port 465 with SSL/TLS.";
        }
        return null;
    }

    private static String label(Encryption e) {
        return e == Encryption.NONE ? "an unencrypted connection" : e.name();
    }

    private static String describe(Reason r) {
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
            default -> "the server reported an error.";
        };
    }

    private static String replyOf(MessagingException e) {
        return e == null ? null : String.valueOf(e.getMessage()).trim();
    }

    private static String cause(Exception e, List<String> secrets) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return " (" + root.getClass().getSimpleName() + ": " + redact(String.valueOf(root.getMessage()), secrets) + ")";
    }

    static String redact(String text, List<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            if (!s.isEmpty()) {
                out = out.replace(s, "******");
            }
        }
        return out;
    }

    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c instanceof MessagingException m && m.getNextException() != null && m.getNextException() != c.getCause()) {
                T inNext = find(m.getNextException(), type);
                if (inNext != null) {
                    return inNext;
                }
            }
        }
        return null;
    }
}
