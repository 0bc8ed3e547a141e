package org.emailconfig.core.internal;

import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import javax.net.ssl.SSLContext;

import org.apiguardian.api.API;
import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.api.spi.DeliveryContext;
import org.emailconfig.api.spi.SmtpConnector;
import org.emailconfig.api.spi.UnreadableConfigurationException;
import org.emailconfig.core.internal.smtp.AngusSmtpConnector;
import org.emailconfig.core.internal.smtp.StreamProviderLookup;
import org.emailconfig.core.internal.smtp.TrustAnchors;
import org.emailconfig.core.internal.store.SecretSealer;
import org.jspecify.annotations.Nullable;

/**
 * Assembles the engine from {@link EngineSettings}: the sealer, the providers, TLS, the SMTP engine, the
 * service; then loads the configuration in force and applies an installer's first configuration. The one
 * place that knows how the parts fit; {@link org.emailconfig.core.EmailConfig} only collects options.
 */
@API(status = API.Status.INTERNAL, since = "0.3")
public final class Engine {

    private Engine() {
    }

    /** The SMTP engine and the context providers get, built alike for a service and for a provider's tests. */
    @API(status = API.Status.INTERNAL, since = "0.3")
    public record Smtp(AngusSmtpConnector connector, DeliveryContext context) {
    }

    private record EngineContext(SmtpConnector smtp, Clock clock, Duration connectTimeout, Duration readTimeout,
                                 SSLContext sslContext) implements DeliveryContext {
    }

    /**
     * The SMTP engine and the delivery context.
     *
     * @param trustStore              extra trusted certificates, or null
     * @param connectTimeout          connect timeout
     * @param readTimeout             read timeout
     * @param greetingTimeout         how long to wait for a greeting
     * @param localHostName           the EHLO name, or null
     * @param clock                   time source
     * @param allowPasswordsOverUnencryptedConnections whether a password may go unencrypted to another host
     * @return both; close the connector when done
     */
    public static Smtp smtp(@Nullable KeyStore trustStore, Duration connectTimeout, Duration readTimeout,
                            Duration greetingTimeout, @Nullable String localHostName, Clock clock,
                            boolean allowPasswordsOverUnencryptedConnections) {
        SSLContext tls = TrustAnchors.context(trustStore);
        AngusSmtpConnector connector = new AngusSmtpConnector(connectTimeout, readTimeout, tls.getSocketFactory(),
                localHostName, greetingTimeout, clock, allowPasswordsOverUnencryptedConnections);
        return new Smtp(connector, new EngineContext(connector, clock, connectTimeout, readTimeout, tls));
    }

    /**
     * Assembles and starts the engine.
     *
     * @param s the options
     * @return the running service
     * @throws RuntimeException what a refused initial configuration throws; nothing is left running then
     */
    public static ConfigurationService start(EngineSettings s) {
        SecretSealer sealer = sealer(s);
        ProviderRegistry registry = ProviderRegistry.create(s.providers(), s.discover(), s.classLoader());
        if (s.nameStreamProvider()) {
            StreamProviderLookup.nameTheProviderOnce();
        }
        Smtp smtp = smtp(s.trustStore(), s.connectTimeout(), s.readTimeout(), s.greetingTimeout(), s.localHostName(),
                s.clock(), s.allowPasswordsOverUnencryptedConnections());
        ConfigurationService service = new ConfigurationService(s.store(), registry, sealer, smtp.connector(),
                smtp.context(), s.clock(), s.applicationName(), s.auditListeners(), s.refreshInterval(),
                s.allowPasswordsOverUnencryptedConnections(), s.notifications(), s.storeTimeout(),
                new DeliveryEvidence(s.deliveryListeners(), s.deliveryEventRecipients(), s.clock()),
                s.expiryWarnings());
        service.start();
        if (s.initialConfiguration() != null) {
            try {
                service.bootstrap(s.initialConfiguration());
            } catch (RuntimeException e) {
                // A refused initial configuration (field errors, a failed test) stops the start: nothing was stored.
                service.close();
                throw e;
            }
        }
        return service;
    }

    private static SecretSealer sealer(EngineSettings s) {
        BooleanSupplier sealedData = () -> holdsSealedSecrets(s.store());
        byte[] key = s.secretKey();
        if (key != null) {
            return SecretSealer.withKeys(key, s.previousSecretKeys());
        }
        if (s.secretKeyFile() != null) {
            return SecretSealer.fromKeyFile(s.secretKeyFile(), sealedData);
        }
        if (s.unsealed()) {
            return SecretSealer.unsealed();
        }
        if (s.ephemeralKey()) {
            return SecretSealer.ephemeral();
        }
        return SecretSealer.fromKeyFile(s.defaultKeyFile(), sealedData);
    }

    /** Whether a new key would strand stored secrets; a damaged configuration can only be replaced anyway. */
    private static boolean holdsSealedSecrets(ConfigStore store) {
        try {
            return store.load().map(c -> c.sealedSecrets().values().stream().anyMatch(SecretSealer::isSealed))
                    .orElse(false);
        } catch (UnreadableConfigurationException e) {
            return false;
        }
    }
}
