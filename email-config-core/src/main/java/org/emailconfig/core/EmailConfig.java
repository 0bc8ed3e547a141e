package org.emailconfig.core;

import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;


import org.apiguardian.api.API;
import org.emailconfig.api.AuditListener;
import org.emailconfig.api.DeliveryListener;
import org.emailconfig.api.EmailConfigurationService;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.core.internal.Engine;
import org.emailconfig.core.internal.EngineSettings;
import org.emailconfig.core.internal.NotificationSettings;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link EmailConfigurationService}. Hold the service for the application's lifetime and
 * close it on shutdown.
 *
 * <p>With the embedded file store (providers found on the class path):
 * <pre>{@code
 * EmailConfigurationService email = EmailConfig.builder()
 *         .fileStore(Path.of("/var/lib/hub/email"))   // key file created there too
 *         .applicationName("Hub")
 *         .build();
 * }</pre>
 *
 * <p>With the host's own store and sealing key, and an audit listener:
 * <pre>{@code
 * EmailConfigurationService email = EmailConfig.builder()
 *         .store(JdbcConfigStore.builder(dataSource).build())
 *         .secretKeyFile(Path.of("/etc/hub/email-config.key"))
 *         .auditListener(event -> auditLog.record(event))
 *         .build();
 * }</pre>
 *
 * <p>In a test or DI container, with explicit providers and no discovery:
 * <pre>{@code
 * EmailConfigurationService email = EmailConfig.builder()
 *         .inMemoryStore()
 *         .discoverProviders(false)
 *         .provider(new PasswordSmtpProvider())
 *         .trustStore(testCertificates)
 *         .build();
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class EmailConfig {

    /** Default TCP connect timeout: 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default read and write timeout: 30 seconds. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Default wait for an SMTP server's greeting: 10 seconds (above the 6 seconds Postfix's postscreen may
     * hold it back), so a port that expects SSL/TLS from the first byte, and therefore never greets a plain
     * connection, does not cost the full read timeout.
     */
    public static final Duration DEFAULT_GREETING_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Default interval at which a node asks the store whether another node saved: 5 seconds. A store that
     * pushes changes ({@link org.emailconfig.api.spi.ConfigStore#subscribe}) is followed within about a
     * second; polling stays on as a safety net.
     */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);
    /**
     * Default time within which a notification's temporary failures are tried again: 30 seconds. A send
     * blocks the caller that long at most (plus one attempt's timeouts) when the server keeps refusing
     * for now.
     */
    public static final Duration DEFAULT_NOTIFICATION_RETRY_DEADLINE = Duration.ofSeconds(30);
    /** Default number of asynchronous notifications the engine's own executor holds waiting: 1,000. */
    public static final int DEFAULT_NOTIFICATION_QUEUE_CAPACITY = 1_000;
    /** Default time {@code close()} waits for queued asynchronous notifications: 10 seconds. */
    public static final Duration DEFAULT_CLOSE_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Default number of kept-open connections (deliveries) notifications may use at once: 3. Microsoft 365
     * takes at most three concurrent SMTP submissions per mailbox (beyond that it answers
     * {@code 432 4.3.2 ... sender thread limit exceeded}) and Graph four concurrent requests per mailbox;
     * three fits both and common SMTP servers' per-client limits.
     */
    public static final int DEFAULT_NOTIFICATION_CONNECTIONS = 3;
    /** Default time an unused kept-open connection stays open: 30 seconds. */
    public static final Duration DEFAULT_IDLE_CONNECTION_TIMEOUT = Duration.ofSeconds(30);
    /** Name of the key file the embedded file store creates next to its configuration file. */
    public static final String DEFAULT_KEY_FILE_NAME = "email-config.key";

    private EmailConfig() {
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures and builds the service; not thread-safe. */
    public static final class Builder {
        private @Nullable ConfigStore store;
        private @Nullable Path fileStoreDirectory;
        private boolean inMemory;
        private byte @Nullable [] secretKey;
        private final List<byte[]> previousSecretKeys = new ArrayList<>();
        private @Nullable Path secretKeyFile;
        private boolean unsealed;
        private final List<AuthenticationProvider> providers = new ArrayList<>();
        private boolean discover = true;
        private @Nullable ClassLoader classLoader;
        private Clock clock = Clock.systemUTC();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private @Nullable Duration storeTimeout;
        private Duration greetingTimeout = DEFAULT_GREETING_TIMEOUT;
        private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;
        private boolean allowPasswordsOverUnencryptedConnections;
        private @Nullable JdbcOutbox outbox;
        private boolean nameStreamProvider = true;
        private @Nullable InitialConfiguration initialConfiguration;
        private Duration notificationRetryDeadline = DEFAULT_NOTIFICATION_RETRY_DEADLINE;
        private java.util.concurrent.@Nullable Executor notificationExecutor;
        private int notificationQueueCapacity = DEFAULT_NOTIFICATION_QUEUE_CAPACITY;
        private Duration closeDrainTimeout = DEFAULT_CLOSE_DRAIN_TIMEOUT;
        private int notificationConnections = DEFAULT_NOTIFICATION_CONNECTIONS;
        private int maxMessagesPerConnection;
        private Duration idleConnectionTimeout = DEFAULT_IDLE_CONNECTION_TIMEOUT;
        private @Nullable KeyStore trustStore;
        private String applicationName = "email-config";
        private @Nullable String localHostName;
        private final List<AuditListener> auditListeners = new ArrayList<>();
        private final List<DeliveryListener> deliveryListeners = new ArrayList<>();
        private boolean deliveryEventRecipients;
        private List<Duration> expiryWarnings = List.of(Duration.ofDays(30), Duration.ofDays(7));

        private Builder() {
        }

        /**
         * Uses the host's own store. Secrets reach it sealed, so a key is needed:
         * {@link #secretKey(byte[])} or {@link #secretKeyFile(Path)}, or explicitly
         * {@link #storeSecretsUnsealed()}.
         *
         * @param store the store
         * @return this
         */
        public Builder store(ConfigStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Uses the embedded {@link FileConfigStore} in a directory. Without another key option, the
         * sealing key lives in {@value EmailConfig#DEFAULT_KEY_FILE_NAME} in the same directory, created
         * owner-only; keep it elsewhere with {@link #secretKeyFile(Path)} for stronger separation.
         * This is the default, in {@code ~/.email-config}, when no store is chosen.
         *
         * @param directory the directory
         * @return this
         */
        public Builder fileStore(Path directory) {
            this.fileStoreDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Uses an {@link InMemoryConfigStore}; secrets are sealed with a key that lives as long as the
         * service unless a key is given.
         *
         * @return this
         */
        public Builder inMemoryStore() {
            this.inMemory = true;
            return this;
        }

        /**
         * Seals secrets with this AES-256 key.
         *
         * @param key 32 bytes; copied
         * @return this
         */
        public Builder secretKey(byte[] key) {
            this.secretKey = key.clone();
            return this;
        }

        /**
         * Older keys that still open what they sealed, for a key rotation with {@link #secretKey(byte[])}:
         * the new key seals, these open, until
         * {@link EmailConfigurationService#resealSecrets(org.emailconfig.api.Actor)} sealed everything again.
         *
         * @param keys 32 bytes each, newest first; copied
         * @return this
         */
        public Builder previousSecretKeys(byte[]... keys) {
            for (byte[] k : keys) {
                previousSecretKeys.add(k.clone());
            }
            return this;
        }

        /**
         * Seals secrets with the key in this file, created (owner-only, random) when missing. The file holds
         * one base64 key per line: the first seals, every line opens, so a rotation adds the new key as the
         * first line and keeps the old one below it until
         * {@link EmailConfigurationService#resealSecrets(org.emailconfig.api.Actor)} ran. It is created
         * atomically, so a crash or a full disk never leaves a partial key; an empty or damaged key file is
         * replaced when the store holds nothing sealed, and is otherwise an error naming it.
         *
         * @param file the key file
         * @return this
         */
        public Builder secretKeyFile(Path file) {
            this.secretKeyFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Stores secrets in clear text. Only for stores that encrypt on their own; never the default.
         *
         * @return this
         */
        public Builder storeSecretsUnsealed() {
            this.unsealed = true;
            return this;
        }

        /**
         * Adds a provider instance (registered before discovered ones).
         *
         * @param provider the provider
         * @return this
         */
        public Builder provider(AuthenticationProvider provider) {
            providers.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /**
         * Whether to find providers with {@link java.util.ServiceLoader}; default true.
         *
         * @param discover false to use only {@link #provider(AuthenticationProvider)} instances
         * @return this
         */
        public Builder discoverProviders(boolean discover) {
            this.discover = discover;
            return this;
        }

        /**
         * Where discovery looks; default the thread context class loader.
         *
         * @param loader the class loader
         * @return this
         */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /**
         * The time source; default UTC system clock.
         *
         * @param clock the clock
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * TCP connect timeout; default 10 s.
         *
         * @param timeout positive
         * @return this
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * How long a call to the host's own {@link #store(ConfigStore) store} may take (load, save, the revision
         * check) before the request fails with {@code STORE_FAILURE}: a store that hangs must not hold the admin's
         * page or a node's start. The call then runs on a thread of the library's own and is interrupted; a save
         * that timed out may still complete, and its failure says so. Zero calls the store on the caller's thread
         * without a bound (for a store that needs the caller's thread: a transaction or security context bound to
         * it). The library's own stores bound themselves and ignore this.
         *
         * @param timeout zero or positive; default the {@link #connectTimeout(Duration) connect timeout} (10 s)
         * @return this
         */
        public Builder storeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("storeTimeout must not be negative, got " + timeout);
            }
            this.storeTimeout = timeout;
            return this;
        }

        /**
         * Read and write timeout; default 30 s.
         *
         * @param timeout positive
         * @return this
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            return this;
        }

        /**
         * How long to wait for an SMTP server's 220 greeting after connecting; default 10 s, and never longer
         * than the read timeout. A server that says nothing is usually a port that expects SSL/TLS from the
         * first byte: the failure then says so, without waiting the whole read timeout.
         *
         * @param timeout positive
         * @return this
         */
        public Builder greetingTimeout(Duration timeout) {
            this.greetingTimeout = positive(timeout, "greetingTimeout");
            return this;
        }

        /**
         * How often the node asks the store whether another node saved a newer revision; default
         * 5 seconds. The question runs on the engine's own background thread: a notification
         * never waits for the store, and keeps using the configuration in force while a check is slow or
         * fails. A node follows another node's save within this interval (within about a second when the
         * store pushes changes). {@code read}, {@code sendTestEmail} and {@code save} always load the
         * newest revision first, whatever the interval.
         *
         * @param interval positive
         * @return this
         */
        public Builder refreshInterval(Duration interval) {
            this.refreshInterval = positive(interval, "refreshInterval");
            return this;
        }

        /**
         * How long a notification's temporary failures (4xx replies, 421, Graph 429/503, a connection lost
         * before the end of the message, a timeout) are tried again, with exponential backoff and jitter,
         * honouring Retry-After; default 30 seconds. Zero turns retries off. Permanent failures are never
         * retried, and neither is a message the server may already have accepted. Test emails on save are
         * never retried: the admin sees the first answer.
         *
         * @param deadline zero or positive
         * @return this
         */
        public Builder notificationRetryDeadline(Duration deadline) {
            Objects.requireNonNull(deadline, "deadline");
            if (deadline.isNegative()) {
                throw new IllegalArgumentException("notificationRetryDeadline must not be negative");
            }
            this.notificationRetryDeadline = deadline;
            return this;
        }

        /**
         * The configuration a fresh installation starts with (an installer's answers, a container's
         * environment: see {@link InitialConfiguration}). {@link #build()} applies it only when the store holds
         * nothing: validated like any save, tested first when it names a test recipient, audited with the
         * installer as the actor. A stored configuration is never overwritten.
         *
         * @param initial the configuration, or null for none ({@link InitialConfiguration#fromEnvironment}
         *                returns null when the environment names no type)
         * @return this
         */
        public Builder initialConfiguration(@Nullable InitialConfiguration initial) {
            this.initialConfiguration = initial;
            return this;
        }

        /**
         * Leaves Jakarta Mail's search for its stream provider as it is. By default, when the host has not
         * set the system property {@code jakarta.mail.util.StreamProvider} and Jakarta Mail finds Angus
         * Mail's provider, the engine sets the property to that class once (logged at INFO): jakarta.mail-api
         * 2.1.5 otherwise runs a ServiceLoader on every message it encodes, about a fifth of the CPU a small
         * message costs. The property is global to the JVM; choose this when the application needs Jakarta
         * Mail to search each time (a thread context class loader that cannot see Angus Mail, an OSGi
         * container).
         *
         * @return this
         */
        public Builder keepStreamProviderLookup() {
            this.nameStreamProvider = false;
            return this;
        }

        /**
         * How many kept-open connections (deliveries) notifications may use at once; default
         * {@value EmailConfig#DEFAULT_NOTIFICATION_CONNECTIONS}. Threads that find all in use wait for one.
         * The engine's own executor for {@code sendAsync} runs as many threads.
         *
         * @param connections at least 1
         * @return this
         */
        public Builder notificationConnections(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("notificationConnections must be at least 1");
            }
            this.notificationConnections = connections;
            return this;
        }

        /**
         * How many messages one connection carries before a fresh one is opened, for servers that limit it
         * (on-premises Exchange's receive connectors allow 20 by default); default no limit. Without it, a
         * server that closes a connection after its limit (421) costs one immediate reconnect, not a failure.
         *
         * @param messages at least 1, or 0 for no limit
         * @return this
         */
        public Builder maxMessagesPerConnection(int messages) {
            if (messages < 0) {
                throw new IllegalArgumentException("maxMessagesPerConnection must not be negative");
            }
            this.maxMessagesPerConnection = messages;
            return this;
        }

        /**
         * How long an unused kept-open connection stays open; default 30 seconds.
         *
         * @param timeout positive
         * @return this
         */
        public Builder idleConnectionTimeout(Duration timeout) {
            this.idleConnectionTimeout = positive(timeout, "idleConnectionTimeout");
            return this;
        }

        /**
         * Runs {@code sendAsync} on the host's executor instead of the engine's own (one thread per
         * connection, see {@link #notificationConnections(int)}, and a queue of
         * {@link #notificationQueueCapacity(int)}). The host then bounds it, and shuts it down after closing
         * the service; {@code close()} does not wait for it.
         *
         * @param executor the executor
         * @return this
         */
        public Builder notificationExecutor(java.util.concurrent.Executor executor) {
            this.notificationExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * How many asynchronous notifications the engine's own executor holds waiting before
         * {@code sendAsync} rejects more with {@link java.util.concurrent.RejectedExecutionException};
         * default 1,000.
         *
         * @param capacity positive
         * @return this
         */
        public Builder notificationQueueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("notificationQueueCapacity must be positive");
            }
            this.notificationQueueCapacity = capacity;
            return this;
        }

        /**
         * How long {@code close()} lets queued asynchronous notifications go out before it drops the rest
         * (and logs how many); default 10 seconds.
         *
         * @param timeout zero or positive
         * @return this
         */
        public Builder closeDrainTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeDrainTimeout must not be negative");
            }
            this.closeDrainTimeout = timeout;
            return this;
        }

        /**
         * Delivers notifications from an outbox in the host's database: this node runs a worker that sends what
         * {@link JdbcOutbox#enqueue} wrote, here or on any node, with the configuration in force, using the
         * notification connections ({@link #notificationConnections(int)}). {@code send} and {@code sendAsync}
         * stay as they are, for what need not survive a crash. Without it, there is no outbox.
         *
         * @param outbox the outbox, shared by every node of the application
         * @return this
         */
        public Builder outbox(JdbcOutbox outbox) {
            this.outbox = Objects.requireNonNull(outbox, "outbox");
            return this;
        }

        /**
         * Lets an administrator save username and password with encryption NONE for a server that is not on
         * this machine, such as a relay on the application's own network. Without it such a save is refused
         * with a field error on the encryption field (a loopback address is always allowed: the password never
         * leaves the machine). With it, the save result, the log and the audit event carry a warning.
         *
         * @return this
         */
        public Builder allowPasswordsOverUnencryptedConnections() {
            this.allowPasswordsOverUnencryptedConnections = true;
            return this;
        }

        /**
         * Extra trusted certificates (a private CA), trusted in addition to the JDK's CAs, for SMTP and
         * for the HTTPS calls of providers. Host-name verification stays on.
         *
         * @param trustStore a key store of trusted certificate entries
         * @return this
         */
        public Builder trustStore(KeyStore trustStore) {
            this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
            return this;
        }

        /**
         * The application's name, used in the test email's subject; default "email-config".
         *
         * @param name the name
         * @return this
         */
        public Builder applicationName(String name) {
            this.applicationName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The name this client gives in SMTP EHLO; default the local host name.
         *
         * @param name a host name
         * @return this
         */
        public Builder localHostName(String name) {
            this.localHostName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Adds an audit listener.
         *
         * @param listener the listener
         * @return this
         */
        public Builder auditListener(AuditListener listener) {
            auditListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Adds a listener for the evidence of every delivery attempt: each notification (direct or from the outbox)
         * and each test email, sent, retried, failed or "may have been delivered", with its duration, configuration
         * revision, server, reply and Message-ID. Called on the sending thread; see {@link DeliveryListener}.
         * Events name no recipient unless {@link #deliveryEventsWithRecipients()} is set.
         *
         * @param listener the listener
         * @return this
         */
        @API(status = API.Status.EXPERIMENTAL, since = "0.4")
        public Builder deliveryListener(DeliveryListener listener) {
            deliveryListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * When to warn before something email depends on expires (today: the mail server's certificate, as real sends
         * see it): health turns DEGRADED from the longest, the view shows it, and an
         * {@link org.emailconfig.api.AuditOutcome#EXPIRY_WARNING} audit event comes once at each. Default 30 and 7
         * days.
         *
         * @param before how long before the expiry, each positive; none for no warnings
         * @return this
         * @throws IllegalArgumentException when one is zero or negative
         */
        @API(status = API.Status.EXPERIMENTAL, since = "0.4")
        public Builder expiryWarnings(Duration... before) {
            for (Duration d : before) {
                if (d.isZero() || d.isNegative()) {
                    throw new IllegalArgumentException("expiryWarnings must be positive, not " + d);
                }
            }
            this.expiryWarnings = List.of(before);
            return this;
        }

        /**
         * Lets {@link org.emailconfig.api.DeliveryEvent#recipients()} name the recipients. Off by default: they are
         * personal data, and a listener that ships events to a log or a metrics system should not carry them.
         *
         * @return this
         */
        @API(status = API.Status.EXPERIMENTAL, since = "0.4")
        public Builder deliveryEventsWithRecipients() {
            this.deliveryEventRecipients = true;
            return this;
        }

        /**
         * Builds the service: discovers providers and loads the stored configuration (a problem with
         * the stored configuration is logged, not thrown, so the application still starts and an
         * administrator can fix it).
         *
         * @return the service
         * @throws IllegalStateException                     listing every option that contradicts another
         *                                                   or is missing
         * @throws org.emailconfig.api.EmailConfigException with a PROVIDER_* reason for discovery problems
         */
        public EmailConfigurationService build() {
            int stores = (store != null ? 1 : 0) + (fileStoreDirectory != null ? 1 : 0) + (inMemory ? 1 : 0);
            int keys = (secretKey != null ? 1 : 0) + (secretKeyFile != null ? 1 : 0) + (unsealed ? 1 : 0);
            List<String> problems = new ArrayList<>();
            if (stores > 1) {
                problems.add("choose one store: store(...), fileStore(...) or inMemoryStore()");
            }
            if (keys > 1) {
                problems.add("choose one of secretKey(...), secretKeyFile(...) or storeSecretsUnsealed()");
            }
            if (store != null && keys == 0) {
                problems.add("secrets reach a custom store sealed: give secretKey(...) or secretKeyFile(...), "
                        + "or storeSecretsUnsealed() if the store encrypts on its own");
            }
            if (secretKey != null && secretKey.length != 32) {
                problems.add("secretKey(...) must be 32 bytes (AES-256), got " + secretKey.length);
            }
            if (!previousSecretKeys.isEmpty() && secretKey == null) {
                problems.add("previousSecretKeys(...) needs secretKey(...): the new key that seals");
            }
            for (byte[] k : previousSecretKeys) {
                if (k.length != 32) {
                    problems.add("previousSecretKeys(...) must be 32 bytes each (AES-256), got " + k.length);
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("The email configuration service cannot be built: "
                        + String.join("; ", problems));
            }
            // Without any store option the embedded file store lives in ~/.email-config.
            Path directory = fileStoreDirectory != null ? fileStoreDirectory
                    : Path.of(System.getProperty("user.home"), ".email-config");
            ConfigStore chosen = store != null ? store : inMemory ? new InMemoryConfigStore() : new FileConfigStore(directory);
            if (chosen instanceof JdbcConfigStore jdbc) {
                jdbc.useEngineTimeout(connectTimeout);
            }
            ClassLoader loader = classLoader != null ? classLoader
                    : Thread.currentThread().getContextClassLoader() != null ? Thread.currentThread().getContextClassLoader()
                    : EmailConfig.class.getClassLoader();
            // The library's own stores bound their calls themselves; a host's store gets the store timeout.
            Duration hostStoreTimeout = chosen instanceof FileConfigStore || chosen instanceof InMemoryConfigStore
                    || chosen instanceof JdbcConfigStore ? null : storeTimeout != null ? storeTimeout : connectTimeout;
            return Engine.start(new EngineSettings(chosen, hostStoreTimeout, secretKey, previousSecretKeys,
                    secretKeyFile, unsealed, inMemory, directory.resolve(DEFAULT_KEY_FILE_NAME), providers, discover,
                    loader, trustStore, nameStreamProvider, connectTimeout, readTimeout, greetingTimeout,
                    localHostName, clock, allowPasswordsOverUnencryptedConnections, applicationName, auditListeners,
                    deliveryListeners, deliveryEventRecipients, expiryWarnings, refreshInterval,
                    new NotificationSettings(notificationRetryDeadline, notificationExecutor, notificationQueueCapacity,
                            closeDrainTimeout, notificationConnections, maxMessagesPerConnection,
                            idleConnectionTimeout, outbox == null ? null : outboxSettings(outbox)),
                    initialConfiguration));
        }

        private NotificationSettings.Outbox outboxSettings(JdbcOutbox o) {
            o.useEngineTimeout(connectTimeout);
            return new NotificationSettings.Outbox(o.rows(), o::onWritten, o.node(), o.lease(), o.pollInterval(),
                    o.retryWindow(), o.keepSent(), o.limits());
        }

        /**
         * The contexts the engine would give providers, with this builder's timeouts, trust store, clock and
         * local host name, for testing a provider outside a service (the provider contract kit uses them).
         * The store and key options play no part.
         *
         * @return the contexts; close them when done
         */
        public ProviderContexts providerContexts() {
            Engine.Smtp smtp = Engine.smtp(trustStore, connectTimeout, readTimeout, greetingTimeout, localHostName,
                    clock, allowPasswordsOverUnencryptedConnections);
            return new ProviderContexts(smtp.connector(), smtp.context());
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
