package org.emailconfig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.emailconfig.api.Actor;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.EmailAddress;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.Notification;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.core.internal.smtp.StreamProviderLookup;
import org.emailconfig.testkit.ScriptedSmtpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jakarta Mail no longer searches for its stream provider on every message once the engine is built, and
 * a host that keeps the search, or named a provider itself, keeps what it chose.
 */
class StreamProviderLookupTest {

    private static final String SERVICE_FILE = "META-INF/services/jakarta.mail.util.StreamProvider";

    /** Counts the ServiceLoader's searches that reach the class path through this loader. */
    static final class CountingLoader extends ClassLoader {
        final AtomicInteger searches = new AtomicInteger();

        CountingLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            if (name.equals(SERVICE_FILE)) {
                searches.incrementAndGet();
            }
            return super.getResources(name);
        }
    }

    /** A host's own stream provider. */
    public static final class HostsOwnStreamProvider extends org.eclipse.angus.mail.util.MailStreamProvider {
        /** Instantiated by Jakarta Mail. */
        public HostsOwnStreamProvider() {
        }
    }

    private String hostsValue;
    private ClassLoader hostsLoader;
    private final CountingLoader counting = new CountingLoader(Thread.currentThread().getContextClassLoader());

    @BeforeEach
    void clearTheProperty() {
        hostsValue = System.clearProperty(StreamProviderLookup.PROPERTY);
        hostsLoader = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(counting);
    }

    @AfterEach
    void restore() {
        Thread.currentThread().setContextClassLoader(hostsLoader);
        if (hostsValue == null) {
            System.clearProperty(StreamProviderLookup.PROPERTY);
        } else {
            System.setProperty(StreamProviderLookup.PROPERTY, hostsValue);
        }
    }

    private static void encode(int messages) throws Exception {
        for (int i = 0; i < messages; i++) {
            MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
            m.setText("Body \u00fc " + i, "UTF-8");
            m.saveChanges();
            m.writeTo(OutputStream.nullOutputStream());
        }
    }

    private static ConfigurationDraft draft(ScriptedSmtpServer server) {
        return ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                .set(PasswordSmtpConfiguration.SENDER_ADDRESS, "noreply@sandbox.test")
                .set(PasswordSmtpConfiguration.HOST, "127.0.0.1")
                .set(PasswordSmtpConfiguration.PORT, Integer.toString(server.port()))
                .set(PasswordSmtpConfiguration.ENCRYPTION, "NONE")
                .set(PasswordSmtpConfiguration.AUTHENTICATION, "false").build();
    }

    @Test
    void withoutTheEngineEveryMessageSearchesAndWithItNoneDoes() throws Exception {
        // Tests run in a thread of their own (junit-platform.properties): the loader is set for that thread.
        Thread.currentThread().setContextClassLoader(counting);
        encode(10);
        assertTrue(counting.searches.get() >= 10, "Jakarta Mail searched " + counting.searches.get()
                + " times for 10 messages: the premise of this test no longer holds");

        try (ScriptedSmtpServer server = ScriptedSmtpServer.plain().start();
             EmailConfigurationService s = EmailConfig.builder().inMemoryStore().build()) {
            assertEquals("org.eclipse.angus.mail.util.MailStreamProvider",
                    System.getProperty(StreamProviderLookup.PROPERTY));
            s.save(Actor.admin("admin-1", "admin@sandbox.test"), draft(server));
            int before = counting.searches.get();
            for (int i = 0; i < 20; i++) {
                s.notifications().send(Notification.of(EmailAddress.of("u" + i + "@sandbox.test"), "Notice \u00e4",
                        "Body \u00fc"));
            }
            encode(10);
            assertEquals(before, counting.searches.get(), "searches during 20 notifications and 10 encodings");
            assertEquals(21, server.messages().size());
        }
    }

    @Test
    void aHostThatKeepsTheSearchOrNamedAProviderItselfKeepsWhatItChose() {
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().keepStreamProviderLookup().build()) {
            assertNull(System.getProperty(StreamProviderLookup.PROPERTY));
        }
        System.setProperty(StreamProviderLookup.PROPERTY, HostsOwnStreamProvider.class.getName());
        try (EmailConfigurationService s = EmailConfig.builder().inMemoryStore().build()) {
            assertEquals(HostsOwnStreamProvider.class.getName(), System.getProperty(StreamProviderLookup.PROPERTY));
        }
    }
}
