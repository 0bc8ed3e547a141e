package org.emailconfig.core.internal.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.util.List;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;

import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.DeliveryStep;
import org.emailconfig.api.Encryption;
import org.emailconfig.api.Reason;
import org.emailconfig.api.SmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Classification of failures that a local server cannot produce on a privileged port or with
 * arbitrary reply codes; the exceptions have exactly the shape Angus Mail throws (see FACTS.md).
 */
class SmtpFailuresTest {

    @Test
    void starttlsOnPort465TimesOutAndTheHintNamesSslTls() {
        MessagingException e = new MessagingException("Exception reading response", new SocketTimeoutException("Read timed out"));
        DeliveryFailedException f = SmtpFailures.classify(e, SmtpServer.of("smtp.example.com", 465, Encryption.STARTTLS), List.of(), null, null);
        assertEquals(Reason.READ_TIMEOUT, f.reason());
        assertEquals("Port 465 expects SSL/TLS, not STARTTLS: choose SSL/TLS, or port 587 with STARTTLS.", f.hint());
        assertTrue(f.getMessage().contains("smtp.example.com:465"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = Encryption.class, names = {"STARTTLS", "NONE"})
    void aSilentGreetingOnPort465WithoutSslTlsIsAPermanentSettingError(Encryption encryption) {
        MessagingException e = new MessagingException("Exception reading response", new SocketTimeoutException("Read timed out"));
        DeliveryFailedException f = SmtpFailures.classify(e, SmtpServer.of("smtp.example.com", 465, encryption), List.of(),
                DeliveryStep.GREETING, null);
        assertEquals(Reason.READ_TIMEOUT, f.reason());
        assertFalse(f.temporary(), "trying again cannot help: the setting is wrong");
        assertTrue(f.hint().startsWith("Port 465 expects SSL/TLS"), f.hint());
        DeliveryFailedException elsewhere = SmtpFailures.classify(e, SmtpServer.of("smtp.example.com", 2465, encryption),
                List.of(), DeliveryStep.GREETING, null);
        assertTrue(elsewhere.temporary(), "another port's silence may be a slow server");
    }

    @Test
    void aReplyEchoingTheSecretIsMasked() {
        AuthenticationFailedException e = new AuthenticationFailedException("535 5.7.3 bad password hunter2 for you");
        DeliveryFailedException f = SmtpFailures.classify(e, SmtpServer.of("h.example.com", 587, Encryption.STARTTLS),
                List.of("hunter2"), null, null);
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
        DeliveryFailedException f = SmtpFailures.classify(e, SmtpServer.of("h.example.com", 587, Encryption.STARTTLS), List.of(), null, null);
        assertEquals(Reason.AUTH_REQUIRED, f.reason());
    }

    /** Replies seen from Postfix, Dovecot and Microsoft 365, classified by code, enhanced code and words. */
    @ParameterizedTest(name = "{0} at {1} -> {2}, temporary={3}")
    @CsvSource(delimiter = '|', value = {
        "454 4.7.0 Temporary authentication failure          | AUTH     | AUTH_TEMPORARY_FAILURE   | true",
        "535 5.7.8 Error: authentication failed               | AUTH     | AUTH_REJECTED            | false",
        "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled | AUTH | SMTP_AUTH_DISABLED | false",
        "504 5.5.4 Unrecognized authentication type           | AUTH     | AUTH_MECHANISM_UNSUPPORTED | false",
        "421 4.7.0 Too many connections                       | MAIL     | SERVER_TEMPORARY_FAILURE | true",
        "452 4.3.1 Insufficient system storage                | MAIL     | SERVER_TEMPORARY_FAILURE | true",
        "451 4.3.0 Temporary lookup failure                   | RCPT     | SERVER_TEMPORARY_FAILURE | true",
        "554 5.7.1 <bob@elsewhere.test>: Relay access denied  | RCPT     | RELAY_DENIED             | false",
        "554 5.7.1 <unknown[10.0.0.9]>: Client host rejected: Access denied | RCPT | CLIENT_REJECTED | false",
        "553 5.7.1 <ceo@example.test>: Sender address rejected: not owned by user noreply | RCPT | SENDER_NOT_ALLOWED | false",
        "530 5.7.0 Must issue a STARTTLS command first        | MAIL     | ENCRYPTION_REQUIRED      | false",
        "530 5.7.57 Client not authenticated to send mail     | MAIL     | AUTH_REQUIRED            | false",
        "552 5.3.4 Error: message file too big                | DATA     | MESSAGE_TOO_BIG          | false",
        "554 5.2.252 SendAsDenied; noreply not allowed to send as ceo | DATA | SENDER_NOT_ALLOWED | false",
        "550 5.1.1 <bob@example.test>: Recipient address rejected: User unknown | RCPT | RECIPIENT_REJECTED | false",
        "550 5.1.1 <bob@example.test>: Recipient address rejected: User unknown in relay recipient table | RCPT | RECIPIENT_REJECTED | false",
        "550 5.7.1 Unable to relay                            | RCPT     | RELAY_DENIED             | false",
        "553 5.1.8 <x@nowhere.invalid>: Sender address rejected: Domain not found | MAIL | SENDER_REJECTED | false",
        "554 5.6.0 Message rejected as spam                   | DATA     | MESSAGE_REJECTED         | false",
        "554 5.7.1 Service unavailable; client blocked        | GREETING | CLIENT_REJECTED          | false",
        "454 4.7.0 TLS not available due to local problem     | STARTTLS | SERVER_TEMPORARY_FAILURE | true",
        "502 5.5.1 STARTTLS not available                     | STARTTLS | STARTTLS_UNAVAILABLE     | false",
        "400 4.0.0 Try again later                            | GREETING | SERVER_TEMPORARY_FAILURE | true",
        "421 4.3.2 Service not available, closing channel     | GREETING | SERVER_TEMPORARY_FAILURE | true",
        "499 4.0.0 Try again later                            | MAIL     | SERVER_TEMPORARY_FAILURE | true",
        "500 5.5.1 Command unrecognized                       | MAIL     | SENDER_REJECTED          | false",
        "500 5.7.1 Relay access denied                        | RCPT     | RELAY_DENIED             | false",
        "450 4.7.1 <bob@elsewhere.test>: Relay access denied  | RCPT     | SERVER_TEMPORARY_FAILURE | true",
        "550 5.2.3 Message exceeds the size limit             | DATA     | MESSAGE_TOO_BIG          | false",
        "552 Message size exceeds fixed maximum message size  | DATA     | MESSAGE_TOO_BIG          | false",
        "552 5.2.2 Mailbox full                               | RCPT     | RECIPIENT_REJECTED       | false",
        "550 SendAsDenied; noreply not allowed to send as ceo | MAIL     | SENDER_NOT_ALLOWED       | false",
        "553 5.7.1 <ceo@example.test>: Sender address rejected: not logged in | MAIL | SENDER_NOT_ALLOWED | false",
        "530 5.7.0 Authentication required                    | AUTH     | AUTH_REQUIRED            | false",
        "535 5.5.4 Invalid authentication mechanism           | AUTH     | AUTH_MECHANISM_UNSUPPORTED | false",
        "554 5.7.1 Client host rejected: blocked              | MAIL     | CLIENT_REJECTED          | false",
    })
    void aReplyIsClassifiedByItsCodeItsEnhancedCodeAndItsWords(String reply, DeliveryStep step, Reason reason,
                                                               boolean temporary) {
        int code = Integer.parseInt(reply.substring(0, 3));
        MessagingException e = step == DeliveryStep.AUTH ? new AuthenticationFailedException(reply)
                : step == DeliveryStep.GREETING || step == DeliveryStep.STARTTLS
                ? new MessagingException("Got bad greeting from SMTP host: h.example.com, port: 25, response: " + code)
                : new SMTPSendFailedException(step == DeliveryStep.MAIL ? "MAIL FROM" : step == DeliveryStep.RCPT
                        ? "RCPT TO" : ".", code, reply, null, null, null, null);
        DeliveryFailedException f = SmtpFailures.classify(e, SmtpServer.of("h.example.com", 25, Encryption.NONE),
                List.of(), step, reply);
        assertEquals(reason, f.reason(), f.getMessage());
        assertEquals(temporary, f.temporary());
        assertEquals(step, f.step().orElseThrow());
        assertEquals(reply, f.serverReply().orElseThrow());
    }

    @Test
    void aTimeoutDuringAuthIsATemporaryTimeoutAtAuthAndNotAWrongPassword() {
        MessagingException e = new AuthenticationFailedException("Exception reading response",
                new SocketTimeoutException("Read timed out"));
        DeliveryFailedException f = SmtpFailures.classify(e, SmtpServer.of("h.example.com", 587, Encryption.STARTTLS),
                List.of(), DeliveryStep.AUTH, "334 UGFzc3dvcmQ6");
        assertEquals(Reason.READ_TIMEOUT, f.reason());
        assertEquals(DeliveryStep.AUTH, f.step().orElseThrow());
        assertTrue(f.temporary());
        assertTrue(f.hint().contains("says nothing about the credentials"), f.hint());
        assertTrue(f.serverReply().isEmpty());
    }

    private static DeliveryFailedException connectFailure(Exception cause) {
        return SmtpFailures.classify(new org.eclipse.angus.mail.util.MailConnectException(
                new org.eclipse.angus.mail.util.SocketConnectException("Couldn't connect", cause, "smtp.example.com",
                        587, 10_000)), SmtpServer.of("smtp.example.com", 587, Encryption.STARTTLS), List.of(),
                DeliveryStep.CONNECT, null);
    }

    @Test
    void connectFailuresNameTheirStepAndAreTemporaryUnlessTheNameDoesNotResolve() {
        DeliveryFailedException unknown = connectFailure(new java.net.UnknownHostException("smtp.example.com"));
        assertEquals(Reason.UNKNOWN_HOST, unknown.reason());
        assertEquals(DeliveryStep.RESOLVE, unknown.step().orElseThrow());
        assertFalse(unknown.temporary());
        DeliveryFailedException timeout = connectFailure(new SocketTimeoutException("connect timed out"));
        assertEquals(Reason.CONNECTION_TIMEOUT, timeout.reason());
        assertEquals(DeliveryStep.CONNECT, timeout.step().orElseThrow());
        assertTrue(timeout.temporary());
    }

    @Test
    void aTimeoutOrDropAfterTheEndOfTheMessageIsNeverTemporarySinceItMayHaveBeenDelivered() {
        SmtpServer server = SmtpServer.of("smtp.example.com", 587, Encryption.STARTTLS);
        for (Exception e : List.of(new MessagingException("Exception reading response",
                        new SocketTimeoutException("Read timed out")),
                new MessagingException("Exception reading response", new java.net.SocketException("Connection reset")))) {
            DeliveryFailedException before = SmtpFailures.classify(e, server, List.of(), DeliveryStep.DATA, null, false);
            DeliveryFailedException after = SmtpFailures.classify(e, server, List.of(), DeliveryStep.DATA, null, true);
            assertTrue(before.temporary(), before.getMessage());
            assertFalse(after.temporary(), after.getMessage());
            assertEquals(before.reason(), after.reason());
            assertTrue(after.hint().contains("not sent again"), after.hint());
        }
    }

    @Test
    void rejectionAfterTheDotIsAMessageRejection() {
        SMTPSendFailedException e = new SMTPSendFailedException(".", 554,
                "554 5.6.0 Message rejected as spam", null, null, null, null);
        DeliveryFailedException f = SmtpFailures.classify(e, SmtpServer.of("h.example.com", 587, Encryption.STARTTLS), List.of(), null, null);
        assertEquals(Reason.MESSAGE_REJECTED, f.reason());
        assertTrue(f.serverReply().orElseThrow().startsWith("554 5.6.0"));
    }

    private static final SmtpServer STARTTLS_587 = SmtpServer.of("h.example.com", 587, Encryption.STARTTLS);

    @Test
    void aDroppedConnectionOrATimeoutAfterTheEndOfTheMessageIsNeverTemporary() {
        MessagingException reset = new MessagingException("Exception reading response",
                new java.net.SocketException("Connection reset"));
        MessagingException timeout = new MessagingException("Exception reading response",
                new SocketTimeoutException("Read timed out"));
        DeliveryFailedException lostBefore = SmtpFailures.classify(reset, STARTTLS_587, List.of(), DeliveryStep.DATA, null, false);
        DeliveryFailedException lostAfter = SmtpFailures.classify(reset, STARTTLS_587, List.of(), DeliveryStep.DATA, null, true);
        DeliveryFailedException timeoutAfter = SmtpFailures.classify(timeout, STARTTLS_587, List.of(), DeliveryStep.DATA, null, true);

        assertEquals(Reason.CONNECTION_LOST, lostBefore.reason());
        assertTrue(lostBefore.temporary());
        assertTrue(lostBefore.hint().contains("before accepting it"), lostBefore.hint());
        assertEquals(Reason.CONNECTION_LOST, lostAfter.reason());
        assertFalse(lostAfter.temporary(), "the server may have accepted it: never sent twice");
        assertEquals(Reason.READ_TIMEOUT, timeoutAfter.reason());
        assertFalse(timeoutAfter.temporary());
        assertEquals(lostAfter.hint(), timeoutAfter.hint());
        assertFalse(lostAfter.hint().equals(lostBefore.hint()));
        DeliveryFailedException lostInMail = SmtpFailures.classify(reset, STARTTLS_587, List.of(), DeliveryStep.MAIL, null, false);
        assertFalse(lostInMail.hint().equals(lostBefore.hint()), "only a loss in DATA gets the DATA hint");
    }

    @Test
    void starttlsMissingOnPort465SaysToChooseSslTls() {
        MessagingException e = new MessagingException("STARTTLS is required but host does not support STARTTLS");
        DeliveryFailedException on465 = SmtpFailures.classify(e, SmtpServer.of("h.example.com", 465, Encryption.STARTTLS),
                List.of(), DeliveryStep.EHLO, null);
        DeliveryFailedException on587 = SmtpFailures.classify(e, STARTTLS_587, List.of(), DeliveryStep.EHLO, null);
        assertEquals(Reason.STARTTLS_UNAVAILABLE, on465.reason());
        assertEquals(DeliveryStep.STARTTLS, on465.step().orElseThrow());
        assertTrue(on465.specificHint().isPresent());
        assertTrue(on465.hint().contains("465"), on465.hint());
        assertTrue(on587.specificHint().isEmpty());
    }

    @Test
    void anExpiredOrNotYetValidCertificateSaysSoAndOtherDistrustDoesNot() {
        SmtpServer tls = SmtpServer.of("h.example.com", 465, Encryption.SSL_TLS);
        java.security.cert.CertPathValidatorException expiredPath = new java.security.cert.CertPathValidatorException(
                "validity check failed", null, null, -1, java.security.cert.CertPathValidatorException.BasicReason.EXPIRED);
        java.security.cert.CertPathValidatorException revoked = new java.security.cert.CertPathValidatorException(
                "revoked", null, null, -1, java.security.cert.CertPathValidatorException.BasicReason.REVOKED);
        for (Exception cause : List.of(expiredPath, new java.security.cert.CertificateExpiredException("NotAfter"),
                new java.security.cert.CertificateNotYetValidException("NotBefore"))) {
            Exception chain = new MessagingException("Could not connect", handshake(
                    cause instanceof java.security.cert.CertPathValidatorException ? cause
                            : new java.security.cert.CertificateException("PKIX path validation failed", cause)));
            DeliveryFailedException f = SmtpFailures.classify((MessagingException) chain, tls, List.of(), DeliveryStep.TLS, null);
            assertEquals(Reason.TLS_CERTIFICATE_UNTRUSTED, f.reason(), cause.toString());
            assertTrue(f.specificHint().isPresent(), cause.toString());
        }
        DeliveryFailedException other = SmtpFailures.classify(new MessagingException("Could not connect",
                handshake(revoked)), tls, List.of(), DeliveryStep.TLS, null);
        assertEquals(Reason.TLS_CERTIFICATE_UNTRUSTED, other.reason());
        assertTrue(other.specificHint().isEmpty());
    }

    private static javax.net.ssl.SSLHandshakeException handshake(Throwable cause) {
        javax.net.ssl.SSLHandshakeException e = new javax.net.ssl.SSLHandshakeException("PKIX path validation failed");
        e.initCause(cause);
        return e;
    }

    @Test
    void connectFailuresOtherThanTimeoutsAndRefusalsAreServerErrorsAtConnect() {
        DeliveryFailedException noRoute = connectFailure(new java.net.NoRouteToHostException("No route to host"));
        assertEquals(Reason.CONNECTION_TIMEOUT, noRoute.reason());
        DeliveryFailedException refused = connectFailure(new java.net.ConnectException("Connection refused"));
        assertEquals(Reason.CONNECTION_REFUSED, refused.reason());
        assertTrue(refused.temporary());
        DeliveryFailedException other = connectFailure(new java.io.IOException("Network is down"));
        assertEquals(Reason.SERVER_ERROR, other.reason());
        assertEquals(DeliveryStep.CONNECT, other.step().orElseThrow());
        assertTrue(other.getMessage().contains("(IOException: Network is down)"), other.getMessage());
    }

    @Test
    void aClassifiedFailuresMessageNamesTheServerTheStepTheCauseAndTheReply() {
        DeliveryFailedException f = SmtpFailures.classify(new AuthenticationFailedException("535 5.7.8 no"),
                STARTTLS_587, List.of(), DeliveryStep.AUTH, null);
        assertTrue(f.getMessage().startsWith("Sending through h.example.com:587 (STARTTLS) failed at AUTH: "
                + "the server rejected the credentials. Server replied: 535 5.7.8 no"), f.getMessage());
    }

    @Test
    void aConnectionCountsAsLostAfterEofOrATimeoutButNotAfterARefusedRecipient() {
        assertTrue(SmtpFailures.connectionLost(new jakarta.mail.SendFailedException("Invalid Addresses; [EOF]")));
        assertFalse(SmtpFailures.connectionLost(new jakarta.mail.SendFailedException("Invalid Addresses")));
        assertTrue(SmtpFailures.connectionLost(new MessagingException("Exception reading response",
                new SocketTimeoutException("Read timed out"))));
        assertFalse(SmtpFailures.connectionLost(new MessagingException("554 5.0.0 no")));
    }

    @Test
    void aCauseHoldingASecretIsKeptOnlyAsAMaskedCopyWithItsTypeAndStack() {
        MessagingException inner = new MessagingException("bad token tok-123 here");
        AuthenticationFailedException outer = new AuthenticationFailedException("535 echo tok-123", inner);
        Throwable kept = SecretMasking.withoutSecrets(outer, List.of("tok-123"));
        assertFalse(kept == outer);
        assertEquals("jakarta.mail.AuthenticationFailedException (secrets masked): 535 echo ******", kept.toString());
        assertEquals("bad token ****** here", kept.getCause().getMessage());
        assertEquals(outer.getStackTrace().length, kept.getStackTrace().length);
        AuthenticationFailedException clean = new AuthenticationFailedException("535 5.7.8 no");
        assertTrue(SecretMasking.withoutSecrets(clean, List.of("tok-123")) == clean, "nothing to mask: kept as is");
        assertEquals("a ****** b ******", SecretMasking.redact("a x1 b x1", List.of("", "x1")));
        assertEquals(null, SecretMasking.redact(null, List.of("x1")));
    }

    @Test
    void aSecretDeepInALongChainOfCausesIsMaskedAndALoopOfCausesEnds() {
        Throwable chain = new IllegalStateException("token tok-123");
        for (int i = 0; i < 30; i++) {
            chain = new RuntimeException("level " + i, chain);
        }
        Throwable kept = SecretMasking.withoutSecrets(chain, List.of("tok-123"));
        int depth = 0;
        while (kept.getCause() != null) {
            kept = kept.getCause();
            depth++;
        }
        assertEquals(30, depth);
        assertEquals("token ******", kept.getMessage());

        RuntimeException a = new RuntimeException("a tok-123");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        Throwable looped = SecretMasking.withoutSecrets(b, List.of("tok-123"));
        assertEquals("b", looped.getMessage());
        assertEquals("a ******", looped.getCause().getMessage());
        assertEquals(null, looped.getCause().getCause(), "the copy ends where the loop closes");
        RuntimeException c = new RuntimeException("c");
        RuntimeException d = new RuntimeException("d", c);
        c.initCause(d);
        assertTrue(SecretMasking.withoutSecrets(d, List.of("tok-123")) == d, "a loop without a secret is kept as is");
    }
}
