package org.emailconfig.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyStore;
import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.ConfigurationDraft;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension on a static field: one server for the class, mailboxes emptied between tests. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxMailServerTest {

    @RegisterExtension
    static final SandboxMailServer MAIL = new SandboxMailServer().withMailbox("box@sandbox.test", "box-pw");

    private static void send(String to, String password) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.auth", "true");
        Session session = Session.getInstance(p);
        MimeMessage m = new MimeMessage(session);
        m.setFrom("box@sandbox.test");
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setText("hello");
        try (Transport t = session.getTransport("smtp")) {
            t.connect(SandboxMailServer.HOST, MAIL.smtpPort(), "box@sandbox.test", password);
            t.sendMessage(m, m.getAllRecipients());
        }
    }

    @Test
    @Order(1)
    void listensOnDynamicLoopbackPortsAndAcceptsTheMailboxLogin() throws Exception {
        assertNotEquals(3025, MAIL.smtpPort());
        assertNotEquals(MAIL.smtpPort(), MAIL.smtpsPort());
        send("someone@sandbox.test", "box-pw");
        assertEquals(1, MAIL.messagesTo("someone@sandbox.test").size());
        assertEquals(0, MAIL.messagesTo("one@sandbox.test").size(), "matches whole addresses only");
    }

    @Test
    @Order(2)
    void mailboxesAreEmptiedBetweenTestsAndAWrongPasswordIsRejected() {
        assertEquals(0, MAIL.receivedMessages().size());
        assertThrows(jakarta.mail.AuthenticationFailedException.class, () -> send("x@sandbox.test", "wrong"));
    }

    @Test
    @Order(3)
    void handsOutReadyDraftsAndATrustStoreForItsCertificate() throws Exception {
        ConfigurationDraft plain = MAIL.passwordDraft("box@sandbox.test");
        ConfigurationDraft tls = MAIL.smtpsDraft("box@sandbox.test");
        assertEquals(Integer.toString(MAIL.smtpPort()), plain.value("port").orElseThrow());
        assertEquals("SSL_TLS", tls.value("encryption").orElseThrow());
        assertEquals("box-pw", plain.secret("password").reveal());
        KeyStore trust = TestCertificates.trustStore();
        assertTrue(trust.isCertificateEntry("email-config-testkit"));
        assertThrows(IllegalArgumentException.class, () -> MAIL.passwordDraft("unknown@sandbox.test"));
    }
}
