package org.emailconfig.core.internal.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLSocket;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;

import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.DiagnosisReport;
import org.jspecify.annotations.Nullable;

/**
 * Angus Mail's SMTP transport, noting which step of the dialogue it is in, so a timeout or a dropped
 * connection is reported at the step where it happened (a hang during AUTH is not a wrong password).
 * It changes nothing on the wire.
 */
final class TrackingSmtpTransport extends SMTPTransport {

    private volatile @Nullable DeliveryStep step;
    private volatile boolean endOfDataSent;
    private final boolean implicitTls;
    private final int greetingTimeoutMs;
    private final int readTimeoutMs;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** Set only for a diagnosis: notes when each step of the connect began and ended. */
    private SmtpDiagnosis.@Nullable Timeline timeline;

    /**
     * A transport.
     *
     * @param greetingTimeout how long to wait for the 220 greeting: a port that expects TLS from the first
     *                        byte stays silent, and should not cost the whole read timeout
     * @param readTimeout     the read timeout for everything else
     */
    TrackingSmtpTransport(Session session, String host, int port, boolean implicitTls, Duration greetingTimeout,
                          Duration readTimeout) {
        super(session, new URLName("smtp", host, port, null, null, null));
        this.implicitTls = implicitTls;
        this.readTimeoutMs = (int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis());
        this.greetingTimeoutMs = (int) Math.min(readTimeoutMs, greetingTimeout.toMillis());
    }

    /**
     * Whether the terminating dot of the current message went out: from then on the server may have
     * accepted the message even if its reply never arrives, so it must not be sent again.
     */
    boolean endOfDataSent() {
        return endOfDataSent;
    }

    private volatile List<String> masked = List.of();

    /**
     * Masks these texts in Angus's log output for as long as this transport is open (until {@link #close()}).
     * Called once, before connecting.
     */
    void maskInLogs(List<String> secrets) {
        ProtocolLogMask.hold(secrets);
        masked = secrets;
    }

    @Override
    public synchronized void close() throws MessagingException {
        try {
            super.close();
        } finally {
            List<String> release = masked;
            masked = List.of();
            ProtocolLogMask.release(release);
        }
    }

    /** Makes the next connect note its steps for a diagnosis. */
    void record(SmtpDiagnosis.Timeline into) {
        this.timeline = into;
    }

    /** The sockets of the current connection, the TLS one last once TLS is up. */
    List<Socket> sockets() {
        return sockets;
    }

    /** The step in progress, or the last one reached; null before the first connect. */
    @Nullable DeliveryStep step() {
        return step;
    }

    @Override
    protected synchronized boolean protocolConnect(String host, int port, String user, String password)
            throws MessagingException {
        step = implicitTls ? DeliveryStep.TLS : DeliveryStep.CONNECT;
        sockets.clear();
        ehloRefusal = null;
        lastCodeRead = 0;
        NoDelaySockets.CAPTURE.set(socket -> {
            sockets.add(socket);
            currentTimeoutMs = -1;
            if (timeline != null && socket instanceof SSLSocket) {
                timeline.tlsLayered();
            }
        });
        if (timeline != null) {
            timeline.begin(DiagnosisReport.Step.CONNECT);
        }
        try {
            return super.protocolConnect(host, port, user, password);
        } finally {
            NoDelaySockets.CAPTURE.remove();
        }
    }

    /** The end of validity of the certificate the server presented on this connection; null without TLS. */
    java.time.@Nullable Instant certificateExpiry() {
        for (Socket s : sockets) {
            if (s instanceof SSLSocket ssl) {
                try {
                    java.security.cert.Certificate[] chain = ssl.getSession().getPeerCertificates();
                    if (chain.length > 0 && chain[0] instanceof java.security.cert.X509Certificate leaf) {
                        return leaf.getNotAfter().toInstant();
                    }
                } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                    // No certificate on this session: nothing to tell.
                }
            }
        }
        return null;
    }

    @Override
    protected int readServerResponse() throws MessagingException {
        try {
            return readReply();
        } catch (MessagingException e) {
            if (e.getCause() instanceof IOException) {
                abort();
            }
            throw e;
        }
    }

    /**
     * Ends a connection whose dialogue is out of step (a read timed out or failed) without talking to the
     * server again. Left to Angus, closing would send QUIT and wait a whole read timeout for the answer (a
     * late server's reply to the last command arrives instead), and closing a TLS 1.3 socket waits another
     * read timeout for the server's close_notify. So the TCP socket under the TLS layer is closed directly, and
     * a socket that is TLS from the first byte gets a 1 ms timeout for its goodbye.
     */
    private void abort() {
        for (Socket s : sockets) {
            try {
                s.setSoTimeout(1);
                if (!(s instanceof SSLSocket)) {
                    s.close();
                }
            } catch (IOException closed) {
                // Already closed: nothing left to wait for.
            }
        }
        currentTimeoutMs = 1;
    }

    /** The last reply read whole on this connection, and its code; a reset while closing does not erase them. */
    private volatile String lastReplyRead = "";
    private volatile int lastCodeRead;
    /** The reply to a refused EHLO: Angus then falls back to HELO, and the server seems to offer nothing. */
    private volatile @Nullable String ehloRefusal;

    /** The reply to a refused EHLO on this connection, or null when EHLO was accepted. */
    @Nullable String ehloRefusal() {
        return ehloRefusal;
    }

    /**
     * A 421 ("closing transmission channel") the server said before the connection went: Angus's RSET after
     * it then meets the hang-up, and the reason would otherwise be lost with it. Null when the last reply was
     * anything else.
     */
    @Nullable String closingReply() {
        return lastCodeRead == 421 ? lastReplyRead : null;
    }

    /** The timeout the sockets have now, so that capping it to a deadline costs no system call per reply. */
    private volatile int currentTimeoutMs = -1;

    private int readReply() throws MessagingException {
        // The first reply read on a new connection is the greeting: the socket (and implicit TLS) is up.
        if (step == DeliveryStep.CONNECT || step == DeliveryStep.TLS) {
            step = DeliveryStep.GREETING;
            if (timeline != null) {
                timeline.begin(DiagnosisReport.Step.GREETING);
            }
            soTimeout(SendDeadline.cap(greetingTimeoutMs));
            int code = noted(super.readServerResponse());
            if (timeline != null) {
                timeline.end("reply", getLastServerResponse());
            }
            return code;
        }
        soTimeout(SendDeadline.cap(readTimeoutMs));
        return noted(super.readServerResponse());
    }

    private int noted(int code) {
        lastCodeRead = code;
        lastReplyRead = getLastServerResponse();
        return code;
    }

    private void soTimeout(int ms) {
        if (ms == currentTimeoutMs) {
            return;
        }
        currentTimeoutMs = ms;
        for (Socket s : sockets) {
            try {
                s.setSoTimeout(ms);
            } catch (SocketException closed) {
                // Closed already: the read that follows reports it.
            }
        }
    }

    @Override
    protected boolean ehlo(String domain) throws MessagingException {
        step = DeliveryStep.EHLO;
        if (timeline != null) {
            timeline.begin(DiagnosisReport.Step.EHLO);
        }
        boolean ok = super.ehlo(domain);
        if (!ok && getLastReturnCode() >= 400) {
            ehloRefusal = getLastServerResponse();
        }
        if (timeline != null) {
            timeline.end("capabilities", getLastServerResponse());
        }
        // What follows EHLO inside connect is STARTTLS (which says so itself) or authentication.
        step = DeliveryStep.AUTH;
        return ok;
    }

    @Override
    protected void helo(String domain) throws MessagingException {
        step = DeliveryStep.EHLO;
        super.helo(domain);
        step = DeliveryStep.AUTH;
    }

    @Override
    protected void startTLS() throws MessagingException {
        step = DeliveryStep.STARTTLS;
        if (timeline != null) {
            timeline.begin(DiagnosisReport.Step.STARTTLS);
        }
        super.startTLS();
    }

    @Override
    protected void mailFrom() throws MessagingException {
        step = DeliveryStep.MAIL;
        endOfDataSent = false;
        super.mailFrom();
    }

    @Override
    protected void rcptTo() throws MessagingException {
        step = DeliveryStep.RCPT;
        super.rcptTo();
    }

    @Override
    protected OutputStream data() throws MessagingException {
        step = DeliveryStep.DATA;
        return super.data();
    }

    @Override
    protected void finishData() throws IOException, MessagingException {
        step = DeliveryStep.DATA;
        // A caller that records the point of no return does it now; when it cannot, the message stops unended and
        // the server drops it with the connection.
        EndOfData.reached();
        // Angus writes the dot and reads the reply inside; count the message as possibly accepted from here.
        endOfDataSent = true;
        super.finishData();
    }
}
