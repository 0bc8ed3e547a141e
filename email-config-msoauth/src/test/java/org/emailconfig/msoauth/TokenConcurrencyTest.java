package org.emailconfig.msoauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.EmailConfiguration;
import org.emailconfig.api.MicrosoftOAuthConfiguration;
import org.emailconfig.api.Secret;
import org.emailconfig.api.spi.DeliveryContext;
import org.emailconfig.api.spi.MailDelivery;
import org.emailconfig.api.spi.SmtpConnector;
import org.emailconfig.testkit.FakeMicrosoftPlatform;
import org.emailconfig.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many threads needing a token at once cause one token request. Runs the provider on its own (no
 * engine, whose notification sender serialises sends anyway) against the fake identity platform.
 */
class TokenConcurrencyTest {

    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String CLIENT = "00001111-aaaa-2222-bbbb-3333cccc4444";
    static final String SECRET = "Qx8Q~fake.client-secret_value0123456789abcd";

    @RegisterExtension
    final FakeMicrosoftPlatform microsoft = new FakeMicrosoftPlatform().registerApplication(TENANT, CLIENT, SECRET);

    private static DeliveryContext context() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore trust = TestCertificates.trustStore();
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return new DeliveryContext() {
            @Override
            public SmtpConnector smtp() {
                throw new AssertionError("Graph delivery must not use SMTP");
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }

            @Override
            public Duration connectTimeout() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration readTimeout() {
                return Duration.ofSeconds(10);
            }

            @Override
            public SSLContext sslContext() {
                return tls;
            }
        };
    }

    @Test
    void twentyThreadsSendingWithoutACachedTokenCauseOneTokenRequest() throws Exception {
        MicrosoftOAuthProvider provider = new MicrosoftOAuthProvider();
        EmailConfiguration config = provider.bind(microsoft.graphDraft(TENANT, CLIENT, SECRET, "noreply@contoso.test"),
                form -> List.of());
        DeliveryContext context = context();
        int threads = 20;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    start.await();
                    try (MailDelivery d = provider.open(config, context)) {
                        d.send(message(n));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads, microsoft.sentMessages().size());
        assertEquals(1, microsoft.tokenRequests());
    }

    @Test
    void aLateRefusalOfAnOldTokenKeepsTheTokenThatReplacedIt() throws Exception {
        // Two pooled connections hold the same token; both are refused (it expired). The first drops it and
        // fetches a new one; the second's refusal, arriving after that, must not drop the new one too.
        MicrosoftOAuthConfiguration config = (MicrosoftOAuthConfiguration) new MicrosoftOAuthProvider().bind(
                microsoft.graphDraft(TENANT, CLIENT, SECRET, "noreply@contoso.test"), form -> List.of());
        DeliveryContext context = context();
        String scope = config.cloud().graphScope();
        TokenService tokens = new TokenService(null);
        Secret old = tokens.token(config, scope, context);
        tokens.invalidate(config, scope, context, old);
        Secret renewed = tokens.token(config, scope, context);
        tokens.invalidate(config, scope, context, old);
        // Compared without printing: a token never goes into test output.
        assertTrue(renewed.reveal().equals(tokens.token(config, scope, context).reveal()), "the renewed token was dropped");
        assertEquals(2, microsoft.tokenRequests(), "one request per expiry, not one per refusal");
        tokens.invalidate(config, scope, context, renewed);
        tokens.token(config, scope, context);
        assertEquals(3, microsoft.tokenRequests(), "the refused token itself is dropped");
    }

    private static MimeMessage message(int n) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress("noreply@contoso.test"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress("user" + n + "@contoso.test"));
        m.setSubject("Notice " + n);
        m.setText("Body " + n);
        return m;
    }
}
