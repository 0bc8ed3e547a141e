package org.emailconfig.core.internal.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.X509TrustManager;

import jakarta.mail.MessagingException;

import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.Encryption;
import org.emailconfig.api.Reason;
import org.emailconfig.api.SmtpServer;
import org.junit.jupiter.api.Test;

/**
 * The refusal an admin sees is the telling one. Stub trust managers stand in for the JDK's CAs: no public
 * CA issues an expired certificate to a loopback test server.
 */
class TrustAnchorsTest {

    private static X509TrustManager refusing(CertificateException e) {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw e;
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw e;
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }

    private static CertificateException expired() {
        return new CertificateException("PKIX path validation failed: validity check failed",
                new CertPathValidatorException("validity check failed", null, null, -1,
                        CertPathValidatorException.BasicReason.EXPIRED));
    }

    private static CertificateException unknownIssuer() {
        return new CertificateException("PKIX path building failed: unable to find valid certification path",
                new CertPathBuilderException("unable to find valid certification path to requested target"));
    }

    @Test
    void anExpiredCertificateIsReportedWhicheverManagerFoundIt() {
        CertificateException exp = expired();
        CertificateException none = unknownIssuer();
        CertificateException a = assertThrows(CertificateException.class,
                () -> new TrustAnchors.Either(refusing(exp), refusing(none)).checkServerTrusted(null, "RSA"));
        assertSame(exp, a);
        assertEquals(List.of(none), List.of(a.getSuppressed()));

        CertificateException exp2 = expired();
        CertificateException b = assertThrows(CertificateException.class,
                () -> new TrustAnchors.Either(refusing(unknownIssuer()), refusing(exp2)).checkServerTrusted(null, "RSA"));
        assertSame(exp2, b);
    }

    @Test
    void anExpiredCertificateGetsItsOwnHint() {
        MessagingException e = new MessagingException("Could not convert socket to TLS",
                new SSLHandshakeException("PKIX path validation failed"));
        e.getNextException().initCause(expired());
        DeliveryFailedException f = SmtpFailures.classify(e, SmtpServer.of("smtp.example.com", 465, Encryption.SSL_TLS),
                List.of(), null, null);
        assertEquals(Reason.TLS_CERTIFICATE_UNTRUSTED, f.reason());
        assertTrue(f.hint().contains("expired"), f.hint());
    }
}
