package org.emailconfig.core.testing;

import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.DeliveryFailedException;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.core.EmailConfig;
import org.emailconfig.testkit.SandboxMailServer;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.emailconfig.testkit.TestCertificates;

/**
 * Runs in a second JVM whose java.security re-enables TLS 1.0 and 1.1 (TransportPromisesTest): prints what a
 * plain JSSE client agrees on with a TLS 1.1-only server, then what the engine says on each encryption.
 */
public final class LegacyTlsCheck {

    private LegacyTlsCheck() {
    }

    public static void main(String[] args) throws Exception {
        try (ScriptedSmtpServer implicit = ScriptedSmtpServer.withImplicitTls().tlsProtocols("TLSv1.1").start();
             ScriptedSmtpServer starttls = ScriptedSmtpServer.withStartTls().tlsProtocols("TLSv1.1").start()) {
            System.out.println("control=" + control(implicit.port()));
            try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore()
                    .trustStore(TestCertificates.trustStore()).readTimeout(Duration.ofSeconds(3)).build()) {
                System.out.println("SSL_TLS=" + outcome(s, implicit.port(), "SSL_TLS"));
                System.out.println("STARTTLS=" + outcome(s, starttls.port(), "STARTTLS"));
            }
            long auth = java.util.stream.Stream.concat(implicit.commands().stream(), starttls.commands().stream())
                    .filter(c -> c.startsWith("AUTH")).count();
            System.out.println("authCommands=" + auth);
        }
    }

    /** The protocol a JSSE client with the JVM's defaults agrees on, or why it could not. */
    private static String control(int port) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(TestCertificates.trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(SandboxMailServer.HOST, port)) {
                socket.setSoTimeout(3_000);
                socket.startHandshake();
                return socket.getSession().getProtocol();
            }
        } catch (Exception e) {
            return "failed: " + e;
        }
    }

    private static String outcome(EmailConfigurationService s, int port, String encryption) {
        ConfigurationDraft draft = Drafts.password(port, encryption, "transport-pw-5521");
        try {
            s.save(new SandboxMailServer().admin(), draft);
            return "SAVED";
        } catch (DeliveryFailedException e) {
            return e.reason().name();
        }
    }
}
