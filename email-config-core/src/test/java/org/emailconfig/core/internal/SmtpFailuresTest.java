package org.emailconfig.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.util.List;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;

import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.Encryption;
import org.emailconfig.api.Reason;
import org.emailconfig.api.SmtpServer;
import org.junit.jupiter.api.Test;

/**
 * Classification of failures that a local server cannot produce on a privileged port or with
 * arbitrary reply codes; the exceptions have exactly the shape Angus Mail throws (see FACTS.md).
 */
class SmtpFailuresTest {

    @Test
    void starttlsOnPort465TimesOutAndTheHintNamesSslTls() {
        MessagingException e = new MessagingException("Exception reading response", new SocketTimeoutException("Read timed out"));
        DeliveryFailedException f = SmtpFailures.classify(e, SmtpServer.of("smtp.example.com", 465, Encryption.STARTTLS), List.of());
        assertEquals(Reason.READ_TIMEOUT, f.reason());
        assertEquals("Port 465 expects SSL/TLS, not STARTTLS: choose SSL/TLS, or port 587 with STARTTLS.", f.hint());
        assertTrue(f.getMessage().contains("smtp.example.com:465"));
    }

    @Test
    void aReplyEchoingTheSecretIsMasked() {
        AuthenticationFailedException e = new AuthenticationFailedException("535 5.7.3 bad password hunter2 for you");
        DeliveryFailedException f = SmtpFailures.classify(e, SmtpServer.of("h.example.com", 587, Encryption.STARTTLS),
                List.of("hunter2"));
        assertEquals(Reason.AUTH_REJECTED, f.reason());
        assertFalse(f.getMessage().contains("hunter2"));
        assertFalse(f.serverReply().orElseThrow().contains("hunter2"));
    }

    @Test
    void aConnectionClosedBeforeTheReplyCountsAsLostWhicheverWayAngusReportsIt() {
        assertTrue(SmtpFailures.connectionLost(new SMTPSendFailedException("MAIL FROM", -1, "[EOF]", null, null, null, null)));
        assertTrue(SmtpFailures.connectionLost(new MessagingException("Can't send command to SMTP host",
                new java.net.SocketException("Broken pipe"))));
        assertTrue(SmtpFailures.connectionLost(new SMTPSendFailedException(".", 421,
                "421 4.4.2 Connection dropped due to timeout", null, null, null, null)));
        assertFalse(SmtpFailures.connectionLost(new SMTPSendFailedException(".", 554,
                "554 5.6.0 Message rejected", null, null, null, null)));
    }

    @Test
    void fiveThirtyOnMailFromMeansAuthenticationRequired() {
        SMTPSendFailedException e = new SMTPSendFailedException("MAIL FROM", 530,
                "530 5.7.57 Client not authenticated to send mail", null, null, null, null);
        DeliveryFailedException f = SmtpFailures.classify(e, SmtpServer.of("h.example.com", 587, Encryption.STARTTLS), List.of());
        assertEquals(Reason.AUTH_REQUIRED, f.reason());
    }

    @Test
    void rejectionAfterTheDotIsAMessageRejection() {
        SMTPSendFailedException e = new SMTPSendFailedException(".", 554,
                "554 5.6.0 Message rejected as spam", null, null, null, null);
        DeliveryFailedException f = SmtpFailures.classify(e, SmtpServer.of("h.example.com", 587, Encryption.STARTTLS), List.of());
        assertEquals(Reason.MESSAGE_REJECTED, f.reason());
        assertTrue(f.serverReply().orElseThrow().startsWith("554 5.6.0"));
    }
}
