package org.emailconfig.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.util.DummySSLServerSocketFactory;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;

import org.apiguardian.api.API;
import org.emailconfig.api.Actor;
import org.emailconfig.api.ConfigurationDraft;
import org.emailconfig.api.Encryption;
import org.emailconfig.api.PasswordSmtpConfiguration;
import org.emailconfig.api.Secret;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real SMTP server (plain SMTP and SMTPS, both on 127.0.0.1 with dynamic ports) for offline tests,
 * built on GreenMail. Register it as a JUnit 5 extension; on an instance field it starts a fresh
 * server for every test, on a static field one server per class (mailboxes are emptied between tests).
 *
 * <pre>{@code
 * @RegisterExtension
 * final SandboxMailServer mail = new SandboxMailServer().withMailbox("noreply@sandbox.test", "s3cret");
 *
 * @Test
 * void adminReceivesTestEmail() {
 *     service.save(mail.admin(), mail.passwordDraft("noreply@sandbox.test"));
 *     assertEquals(1, mail.awaitMessages(1).size());
 * }
 * }</pre>
 *
 * <p>Outside JUnit, call {@link #start()} and {@link #close()}. The SMTPS port presents a test
 * certificate for {@code 127.0.0.1} and {@code localhost}, which no client trusts by default: give a
 * client {@link TestCertificates#trustStore()} to accept it, with host-name verification still on.
 *
 * <p>What GreenMail cannot do: STARTTLS, a server that requires AUTH, or arbitrary reply codes.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class SandboxMailServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, AutoCloseable {

    /** The loopback address both servers bind to. */
    public static final String HOST = "127.0.0.1";
    /** The address of {@link #admin()}. */
    public static final String ADMIN_ADDRESS = "admin@sandbox.test";

    private final Map<String, String> mailboxes = new LinkedHashMap<>();
    private @Nullable GreenMail greenMail;
    private volatile boolean perClass;

    /** An extension without mailboxes; mail to any address is accepted and kept. */
    public SandboxMailServer() {
    }

    /**
     * Adds a mailbox whose login is its address. Takes effect at the next start, and immediately if
     * running.
     *
     * @param address  the address and login
     * @param password the password (also accepted as an XOAUTH2 token)
     * @return this
     */
    public SandboxMailServer withMailbox(String address, String password) {
        mailboxes.put(Objects.requireNonNull(address, "address"), Objects.requireNonNull(password, "password"));
        if (greenMail != null) {
            greenMail.setUser(address, address, password);
        }
        return this;
    }

    /**
     * Starts both servers; mailboxes are created.
     *
     * @return this
     */
    public synchronized SandboxMailServer start() {
        if (greenMail == null) {
            useTestCertificate();
            ServerSetup[] setups = ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.SMTP, ServerSetupTest.SMTPS});
            greenMail = new NoDelayGreenMail(setups);
            greenMail.start();
            mailboxes.forEach((address, password) -> greenMail.setUser(address, address, password));
        }
        return this;
    }

    /**
     * GreenMail with TCP_NODELAY on its SMTP server sockets. GreenMail writes a multi-line reply (EHLO) line
     * by line; with Nagle's algorithm on, the second line waits for the client's delayed ACK, about 44 ms
     * on every connection (twice with SMTPS), which every test of a host application would pay.
     */
    private static final class NoDelayGreenMail extends GreenMail {
        NoDelayGreenMail(ServerSetup[] setups) {
            super(setups);
        }

        @Override
        protected java.util.Map<String, com.icegreen.greenmail.server.AbstractServer> createServices(
                ServerSetup[] setups, com.icegreen.greenmail.Managers managers) {
            java.util.Map<String, com.icegreen.greenmail.server.AbstractServer> services =
                    super.createServices(setups, managers);
            for (ServerSetup setup : setups) {
                String protocol = setup.getProtocol();
                if (ServerSetup.PROTOCOL_SMTP.equals(protocol) || ServerSetup.PROTOCOL_SMTPS.equals(protocol)) {
                    services.put(protocol, new NoDelaySmtpServer(setup, managers));
                }
            }
            return services;
        }
    }

    /** GreenMail's SMTP server, answering without waiting for the client's ACK. */
    private static final class NoDelaySmtpServer extends com.icegreen.greenmail.smtp.SmtpServer {
        NoDelaySmtpServer(ServerSetup setup, com.icegreen.greenmail.Managers managers) {
            super(setup, managers);
        }

        @Override
        protected com.icegreen.greenmail.server.ProtocolHandler createProtocolHandler(java.net.Socket socket) {
            try {
                socket.setTcpNoDelay(true);
            } catch (java.net.SocketException closed) {
                // The handler's first read reports it.
            }
            return super.createProtocolHandler(socket);
        }
    }

    /** Stops both servers. Idempotent. */
    @Override
    public synchronized void close() {
        if (greenMail != null) {
            greenMail.stop();
            greenMail = null;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (perClass) {
            purge();
        } else {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            close();
        }
    }

    /**
     * The plain SMTP port.
     *
     * @return the bound port
     */
    public int smtpPort() {
        return running().getSmtp().getPort();
    }

    /**
     * The SMTPS (implicit TLS) port.
     *
     * @return the bound port
     */
    public int smtpsPort() {
        return running().getSmtps().getPort();
    }

    /**
     * An administrator whose own address is {@value #ADMIN_ADDRESS}; test emails go there.
     *
     * @return the actor
     */
    public Actor admin() {
        return Actor.admin("sandbox-admin", ADMIN_ADDRESS);
    }

    /**
     * A draft for plain SMTP with authentication as a mailbox added with {@link #withMailbox}; the
     * mailbox is also the sender.
     *
     * @param mailbox the address of a mailbox
     * @return a draft ready to save
     */
    public ConfigurationDraft passwordDraft(String mailbox) {
        return draft(mailbox, smtpPort(), Encryption.NONE);
    }

    /**
     * Like {@link #passwordDraft(String)} but over SMTPS; the client must trust {@link TestCertificates#trustStore()}.
     *
     * @param mailbox the address of a mailbox
     * @return a draft ready to save
     */
    public ConfigurationDraft smtpsDraft(String mailbox) {
        return draft(mailbox, smtpsPort(), Encryption.SSL_TLS);
    }

    private ConfigurationDraft draft(String mailbox, int port, Encryption encryption) {
        String password = mailboxes.get(mailbox);
        if (password == null) {
            throw new IllegalArgumentException("no mailbox " + mailbox + "; add it with withMailbox(...)");
        }
        return ConfigurationDraft.builder(PasswordSmtpConfiguration.TYPE)
                .set(PasswordSmtpConfiguration.SENDER_ADDRESS, mailbox)
                .set(PasswordSmtpConfiguration.SENDER_NAME, "Sandbox Sender")
                .set(PasswordSmtpConfiguration.HOST, HOST)
                .set(PasswordSmtpConfiguration.PORT, Integer.toString(port))
                .set(PasswordSmtpConfiguration.ENCRYPTION, encryption.name())
                .set(PasswordSmtpConfiguration.AUTHENTICATION, "true")
                .set(PasswordSmtpConfiguration.USERNAME, mailbox)
                .secret(PasswordSmtpConfiguration.PASSWORD, Secret.of(password))
                .build();
    }

    /**
     * Every message received so far, in arrival order.
     *
     * @return a snapshot
     */
    public List<MimeMessage> receivedMessages() {
        return Arrays.asList(running().getReceivedMessages());
    }

    /**
     * Messages received for one recipient.
     *
     * @param address the recipient
     * @return a snapshot, possibly empty
     */
    public List<MimeMessage> messagesTo(String address) {
        return receivedMessages().stream().filter(m -> isAddressedTo(m, address)).toList();
    }

    /**
     * Waits until at least {@code count} messages arrived, up to 10 seconds.
     *
     * @param count how many
     * @return all received messages
     * @throws AssertionError when fewer arrived in time
     */
    public List<MimeMessage> awaitMessages(int count) {
        return awaitMessages(count, Duration.ofSeconds(10));
    }

    /**
     * Waits until at least {@code count} messages arrived.
     *
     * @param count   how many
     * @param timeout how long at most
     * @return all received messages
     * @throws AssertionError when fewer arrived in time
     */
    public List<MimeMessage> awaitMessages(int count, Duration timeout) {
        if (!running().waitForIncomingEmail(timeout.toMillis(), count)) {
            throw new AssertionError("expected " + count + " message(s) within " + timeout + " but got "
                    + running().getReceivedMessages().length);
        }
        return receivedMessages();
    }

    /** Deletes every received message, so a test can count what arrives next. */
    public void purge() {
        try {
            running().purgeEmailFromAllMailboxes();
        } catch (FolderException e) {
            throw new IllegalStateException("could not empty the sandbox mailboxes", e);
        }
    }

    /**
     * The GreenMail instance, for what this class does not offer.
     *
     * @return the running server
     */
    public GreenMail greenMail() {
        return running();
    }

    /** GreenMail reads its TLS key store from a file named by system properties when it opens SMTPS. */
    private static synchronized void useTestCertificate() {
        String current = System.getProperty(DummySSLServerSocketFactory.GREENMAIL_KEYSTORE_FILE_PROPERTY);
        if (current != null && Files.exists(Path.of(current))) {
            return;
        }
        try {
            Path file = Files.createTempFile("email-config-testkit", ".p12");
            file.toFile().deleteOnExit();
            try (InputStream in = TestCertificates.resource()) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            System.setProperty(DummySSLServerSocketFactory.GREENMAIL_KEYSTORE_FILE_PROPERTY, file.toString());
            String password = new String(TestCertificates.PASSWORD);
            System.setProperty(DummySSLServerSocketFactory.GREENMAIL_KEYSTORE_PASSWORD_PROPERTY, password);
            System.setProperty(DummySSLServerSocketFactory.GREENMAIL_KEY_PASSWORD_PROPERTY, password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isAddressedTo(MimeMessage m, String address) {
        try {
            Address[] all = m.getAllRecipients();
            return all != null && Arrays.stream(all)
                    .anyMatch(a -> a instanceof InternetAddress ia && address.equalsIgnoreCase(ia.getAddress()));
        } catch (MessagingException e) {
            return false;
        }
    }

    private GreenMail running() {
        if (greenMail == null) {
            throw new IllegalStateException("the sandbox mail server is not running; register it with "
                    + "@RegisterExtension or call start()");
        }
        return greenMail;
    }
}
