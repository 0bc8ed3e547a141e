package org.emailconfig.core.internal;

import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.apiguardian.api.API;
import org.emailconfig.api.AuditListener;
import org.emailconfig.api.DeliveryListener;
import org.emailconfig.api.spi.AuthenticationProvider;
import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.core.InitialConfiguration;
import org.jspecify.annotations.Nullable;

/**
 * Every option of {@link org.emailconfig.core.EmailConfig.Builder} the engine needs, checked and with defaults
 * applied: what {@link Engine#start} assembles the engine from.
 *
 * @param store                   the store in force
 * @param storeTimeout            how long one call of the store may take; null for the library's own stores
 * @param secretKey               the sealing key, or null
 * @param previousSecretKeys      keys that still open what they sealed
 * @param secretKeyFile           the key file, or null
 * @param unsealed                whether secrets are stored unsealed
 * @param ephemeralKey            whether a random key per process will do (an in-memory store)
 * @param defaultKeyFile          the key file when no key option was given
 * @param providers               providers given by the host
 * @param discover                whether providers are also found with the ServiceLoader
 * @param classLoader             where to find them
 * @param trustStore              extra trusted certificates, or null
 * @param nameStreamProvider      whether Angus's StreamProvider is named once for the JVM
 * @param connectTimeout          connect timeout
 * @param readTimeout             read timeout
 * @param greetingTimeout         how long to wait for a server's greeting
 * @param localHostName           the name sent in EHLO, or null for the local host's
 * @param clock                   time source
 * @param allowPasswordsOverUnencryptedConnections whether a password may go unencrypted to another host
 * @param applicationName         named in test emails
 * @param auditListeners          the host's audit listeners
 * @param deliveryListeners       the host's delivery listeners
 * @param deliveryEventRecipients whether delivery events name the recipients
 * @param expiryWarnings          how long before an expiry to warn, each once
 * @param refreshInterval         how often the store is asked whether another node saved
 * @param notifications           retries, queue and connections of notifications
 * @param initialConfiguration    an installer's first configuration, or null
 */
@API(status = API.Status.INTERNAL, since = "0.3")
public record EngineSettings(ConfigStore store, @Nullable Duration storeTimeout, byte @Nullable [] secretKey,
                             List<byte[]> previousSecretKeys, @Nullable Path secretKeyFile, boolean unsealed,
                             boolean ephemeralKey, Path defaultKeyFile, List<AuthenticationProvider> providers,
                             boolean discover, ClassLoader classLoader, @Nullable KeyStore trustStore,
                             boolean nameStreamProvider, Duration connectTimeout, Duration readTimeout,
                             Duration greetingTimeout, @Nullable String localHostName, Clock clock,
                             boolean allowPasswordsOverUnencryptedConnections, String applicationName,
                             List<AuditListener> auditListeners, List<DeliveryListener> deliveryListeners,
                             boolean deliveryEventRecipients, List<Duration> expiryWarnings, Duration refreshInterval,
                             NotificationSettings notifications, @Nullable InitialConfiguration initialConfiguration) {
}
